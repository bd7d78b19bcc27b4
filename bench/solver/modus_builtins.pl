% The Modus builtins the benchmark programs use, for SWI-Prolog, doing the same work as ours in
% frontend/solver/builtins: number_* parse both sides with Rust's f64 grammar on every call;
% semver_* parse the version (padded with ".0" / ".0.0" when needed) and the Cargo comparator
% made by prefixing the operator, then match with the semver crate's rules. Constants are atoms.

:- module(modus_builtins,
          [ from/1, run/1,
            number_eq/2, number_gt/2, number_lt/2, number_geq/2, number_leq/2,
            semver_exact/2, semver_gt/2, semver_lt/2, semver_geq/2, semver_leq/2
          ]).

:- set_prolog_flag(float_overflow, infinity).
:- set_prolog_flag(float_undefined, nan).

from(Ref) :- atomic(Ref).
run(Cmd) :- atomic(Cmd).

% ---------------------------------------------------------------------------------------------
% number_*

number_eq(A, B)  :- rust_float(A, X), rust_float(B, Y), X =:= Y.
number_gt(A, B)  :- rust_float(A, X), rust_float(B, Y), X > Y.
number_lt(A, B)  :- rust_float(A, X), rust_float(B, Y), X < Y.
number_geq(A, B) :- rust_float(A, X), rust_float(B, Y), X >= Y.
number_leq(A, B) :- rust_float(A, X), rust_float(B, Y), X =< Y.

rust_float(Text, X) :-
    atom_codes(Text, Codes),
    phrase(float_text(X), Codes), !.

float_text(X) --> sign_codes(S), float_rest(S, X).

sign_codes(`-`) --> "-", !.
sign_codes(`+`) --> "+", !.
sign_codes(`+`) --> [].

float_rest(S, X, Codes, []) :-
    atom_codes(Word, Codes), downcase_atom(Word, Lower),
    special(Lower, V), !,
    ( S == `-` -> X is -V ; X is V ).
float_rest(S, X) -->
    digits(Int), fraction(Frac),
    { Int \== [] ; Frac \== [] },
    exponent(ESign, Exp),
    { default_zero(Int, I), default_zero(Frac, F),
      append([S, I, `.`, F, `e`, ESign, Exp], Normal),
      read_float(S, Normal, X) }.

% Reading a float ignores the float_overflow flag: an overflow is a syntax error, Rust gives ±inf.
read_float(S, Normal, X) :-
    catch(number_codes(X, Normal), error(syntax_error(float_overflow), _),
          ( S == `-` -> X is -inf ; X is inf )).

special(inf, inf).
special(infinity, inf).
special(nan, nan).

fraction(F) --> ".", !, digits(F).
fraction([]) --> [].

exponent(S, E) --> ( "e" ; "E" ), !, sign_codes(S), digits(E), { E \== [] }.
exponent(`+`, `0`) --> [].

default_zero([], `0`) :- !.
default_zero(Ds, Ds).

digits([D|T]) --> [D], { D >= 0'0, D =< 0'9 }, !, digits(T).
digits([]) --> [].

% ---------------------------------------------------------------------------------------------
% semver_*

semver_exact(V, R) :- semver_check(`=`, V, R).
semver_gt(V, R)    :- semver_check(`>`, V, R).
semver_lt(V, R)    :- semver_check(`<`, V, R).
semver_geq(V, R)   :- semver_check(`>=`, V, R).
semver_leq(V, R)   :- semver_check(`<=`, V, R).

semver_check(Op, V, R) :-
    lenient_version(V, Version),
    atom_codes(R, RCodes), append(Op, RCodes, CmpCodes),
    phrase(comparator(Cmp), CmpCodes), !,
    comparator_matches(Cmp, Version).

lenient_version(Text, Version) :-
    atom_codes(Text, Codes),
    (   phrase(version(Version), Codes) -> true
    ;   append(Codes, `.0`, C1), phrase(version(Version), C1) -> true
    ;   append(Codes, `.0.0`, C2), phrase(version(Version), C2)
    ).

version(v(Ma, Mi, Pa, Pre)) -->
    number(Ma), ".", number(Mi), ".", number(Pa),
    prerelease(Pre), build.

number(N) --> digits(Ds), { Ds = [D|Rest], ( D == 0'0 -> Rest == [] ; true ), number_codes(N, Ds) }.

prerelease(Ids) --> "-", !, identifiers(pre, Ids).
prerelease([]) --> [].

build --> "+", !, identifiers(build, _).
build --> [].

identifiers(Kind, [Id|Ids]) -->
    identifier(Kind, Id),
    ( "." -> identifiers(Kind, Ids) ; { Ids = [] } ).

identifier(Kind, Id) -->
    ident_chars(Cs), { Cs \== [] },
    {   all_digits(Cs)
    ->  ( Kind == pre, Cs = [0'0, _|_] -> fail ; number_codes(N, Cs), Id = num(N) )
    ;   atom_codes(A, Cs), Id = alpha(A)
    }.

ident_chars([C|T]) --> [C], { ident_char(C) }, !, ident_chars(T).
ident_chars([]) --> [].

ident_char(C) :- C >= 0'0, C =< 0'9, !.
ident_char(C) :- C >= 0'a, C =< 0'z, !.
ident_char(C) :- C >= 0'A, C =< 0'Z, !.
ident_char(0'-).

all_digits([]).
all_digits([C|T]) :- C >= 0'0, C =< 0'9, all_digits(T).

comparator(cmp(Op, Ma, Mi, Pa, Pre)) -->
    spaces, cmp_op(Op), spaces, number(Ma),
    minor_patch(Mi, Pa),
    cmp_prerelease(Pa, Pre),
    spaces.

cmp_op(>=) --> ">=", !.
cmp_op(=<) --> "<=", !.
cmp_op(=)  --> "=", !.
cmp_op(>)  --> ">", !.
cmp_op(<)  --> "<".

minor_patch(none, none) --> ".", wildcard, !, ( ".", wildcard -> [] ; [] ).
minor_patch(Mi, Pa) --> ".", !, number(Mi), patch(Pa).
minor_patch(none, none) --> [].

patch(none) --> ".", wildcard, !.
patch(Pa) --> ".", !, number(Pa).
patch(none) --> [].

wildcard --> ( "*" ; "x" ; "X" ), !.

cmp_prerelease(none, []) --> !.
cmp_prerelease(_, Pre) --> prerelease(Pre), build.

spaces --> " ", !, spaces.
spaces --> [].

comparator_matches(Cmp, Version) :-
    matches_ignoring_prerelease(Cmp, Version),
    prerelease_allowed(Cmp, Version).

prerelease_allowed(_, v(_, _, _, [])) :- !.
prerelease_allowed(cmp(_, Ma, Mi, Pa, CPre), v(Ma, Mi, Pa, _)) :- CPre \== [].

matches_ignoring_prerelease(cmp(=, Ma, Mi, Pa, P), V)  :- exact(Ma, Mi, Pa, P, V).
matches_ignoring_prerelease(cmp(>, Ma, Mi, Pa, P), V)  :- beyond(>, Ma, Mi, Pa, P, V).
matches_ignoring_prerelease(cmp(<, Ma, Mi, Pa, P), V)  :- beyond(<, Ma, Mi, Pa, P, V).
matches_ignoring_prerelease(cmp(>=, Ma, Mi, Pa, P), V) :-
    ( exact(Ma, Mi, Pa, P, V) -> true ; beyond(>, Ma, Mi, Pa, P, V) ).
matches_ignoring_prerelease(cmp(=<, Ma, Mi, Pa, P), V) :-
    ( exact(Ma, Mi, Pa, P, V) -> true ; beyond(<, Ma, Mi, Pa, P, V) ).

exact(Ma, Mi, Pa, P, v(VMa, VMi, VPa, VP)) :-
    VMa =:= Ma,
    ( Mi == none -> true ; VMi =:= Mi ),
    ( Pa == none -> true ; VPa =:= Pa ),
    compare_prerelease(=, VP, P).

% beyond(Dir, ...): the version lies strictly in direction Dir of everything the comparator allows.
beyond(Dir, Ma, Mi, Pa, P, v(VMa, VMi, VPa, VP)) :-
    (   VMa =\= Ma -> compare(Dir, VMa, Ma)
    ;   Mi == none -> fail
    ;   VMi =\= Mi -> compare(Dir, VMi, Mi)
    ;   Pa == none -> fail
    ;   VPa =\= Pa -> compare(Dir, VPa, Pa)
    ;   compare_prerelease(Dir, VP, P)
    ).

compare_prerelease(O, [], []) :- !, O = (=).
compare_prerelease(O, [], _) :- !, O = (>).
compare_prerelease(O, _, []) :- !, O = (<).
compare_prerelease(O, A, B) :- compare_ids(O, A, B).

compare_ids(O, [], []) :- !, O = (=).
compare_ids(O, [], _) :- !, O = (<).
compare_ids(O, _, []) :- !, O = (>).
compare_ids(O, [X|Xs], [Y|Ys]) :-
    compare_id(O1, X, Y),
    ( O1 == (=) -> compare_ids(O, Xs, Ys) ; O = O1 ).

compare_id(O, num(A), num(B)) :- !, compare(O, A, B).
compare_id(O, num(_), alpha(_)) :- !, O = (<).
compare_id(O, alpha(_), num(_)) :- !, O = (>).
compare_id(O, alpha(A), alpha(B)) :- compare(O, A, B).
