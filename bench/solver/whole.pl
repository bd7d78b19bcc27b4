% The whole-command side of SWI-Prolog in the solver benchmark.
%   swipl whole.pl -- PROGRAM.pl          consult, run bench_query(N) once, print N (timed from outside)
%   swipl whole.pl -- PROGRAM.pl REPS     steady state: REPS + 1 times (the first a warm-up) unload,
%                                         consult the program again and run the query, printing
%                                         "run I WALL_MS CPU_MS ANSWERS" for each
% Without "--" swipl would load PROGRAM.pl itself.

:- initialization(main, main).

main :-
    current_prolog_flag(argv, Argv),
    (   Argv = [File]
    ->  load_files(File, [silent(true)]),
        user:bench_query(N),
        format("~d~n", [N])
    ;   Argv = [File, RepsText],
        atom_number(RepsText, Reps),
        forall(between(0, Reps, I), steady_run(File, I))
    ).

steady_run(File, I) :-
    unload_file(File),
    abolish_all_tables,
    garbage_collect,
    get_time(W0), statistics(cputime, C0),
    load_files(File, [silent(true)]),
    user:bench_query(N),
    get_time(W1), statistics(cputime, C1),
    Wall is (W1 - W0) * 1000,
    Cpu is (C1 - C0) * 1000,
    format("run ~d ~4f ~4f ~d~n", [I, Wall, Cpu, N]).
