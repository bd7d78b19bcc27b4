% Times one generated benchmark program inside SWI-Prolog: loading (consult) once, then the
% query `bench_query(N)` Reps+1 times (the first is a warm-up), each after clearing all tables
% and collecting garbage. Startup of swipl itself is not measured.
% Usage: swipl harness.pl -- PROGRAM.pl REPS   (without "--" swipl would load PROGRAM.pl itself)
% Prints: "load WALL_MS CPU_MS" then "run I WALL_MS CPU_MS ANSWERS" per repetition (I = 0 is
% the warm-up).

:- initialization(main, main).

main :-
    current_prolog_flag(argv, [File, RepsText]),
    atom_number(RepsText, Reps),
    measure(load_files(File, [silent(true)]), LoadWall, LoadCpu),
    format("load ~4f ~4f~n", [LoadWall, LoadCpu]),
    forall(between(0, Reps, I), run_once(I)).

run_once(I) :-
    abolish_all_tables,
    garbage_collect,
    measure(user:bench_query(N), Wall, Cpu),
    format("run ~d ~4f ~4f ~d~n", [I, Wall, Cpu, N]).

measure(Goal, WallMs, CpuMs) :-
    get_time(W0), statistics(cputime, C0),
    once(Goal),
    get_time(W1), statistics(cputime, C1),
    WallMs is (W1 - W0) * 1000,
    CpuMs is (C1 - C0) * 1000.
