#!/usr/bin/env bash
# modus program costs, as CPU time (user + sys) ratios measured side by side, alternating, medians:
#  * start-up: `modus check` and `modus proof --json` on examples/hello/Modusfile against `node -e ''`;
#  * the proof tree view against --json on 30,000 solutions (one fact each);
#  * an endless derivation (`s(Y) :- s(X), string_concat(X, "a", Y)`) at the default budget:
#    wall time and peak memory until the budget stops it.
# Usage: bench/cli/run.sh [--reps N]   (bundles the working tree into dist/ first)
set -euo pipefail
cd "$(dirname "$0")/../.."
reps=9
if [ "${1:-}" = --reps ]; then reps=$2; fi
npm run -s build
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
modus="node $PWD/bin/modus"
hello=$PWD/examples/hello/Modusfile
python3 - "$work" <<'PY'
import sys
d = sys.argv[1]
with open(f'{d}/facts.mf', 'w') as f:
    for i in range(30000): f.write(f'v("{i}").\n')
    f.write('app(V) :- v(V), from("a").\n')
with open(f'{d}/endless.mf', 'w') as f:
    f.write('s("a").\ns(Y) :- s(X), string_concat(X, "a", Y).\napp :- s("b"), from("x").\n')
PY
# CPU seconds (user + sys) of a command, to the microsecond (GNU time prints hundredths only,
# too coarse for start-ups of 50-100 ms).
cpu() {
  python3 -c 'import os, sys
pid = os.fork()
if pid == 0:
    fd = os.open(os.devnull, os.O_WRONLY); os.dup2(fd, 1); os.dup2(fd, 2); os.execvp(sys.argv[1], sys.argv[1:])
_, _, usage = os.wait4(pid, 0)
print("%.4f" % (usage.ru_utime + usage.ru_stime), end="")' "$@"
}
median() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
declare -A runs
for _ in $(seq "$reps"); do
  runs[node]+=" $(cpu node -e '')"
  runs[check]+=" $(cpu $modus check -f "$hello")"
  runs[proof]+=" $(cpu $modus proof --json -f "$hello" 'hello("en")')"
  runs[json]+=" $(cpu $modus proof --json -f "$work/facts.mf" 'app(V)')"
  runs[tree]+=" $(cpu $modus proof -f "$work/facts.mf" 'app(V)')"
done
declare -A m
for k in node check proof json tree; do m[$k]=$(echo "${runs[$k]}" | median); done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
echo "start-up (CPU s, median of $reps): node -e '' ${m[node]}, modus check ${m[check]} ($(ratio "${m[check]}" "${m[node]}")x), modus proof --json ${m[proof]} ($(ratio "${m[proof]}" "${m[node]}")x)"
echo "30,000 solutions (CPU s): --json ${m[json]}, tree ${m[tree]} ($(ratio "${m[tree]}" "${m[json]}")x)"
/usr/bin/time -f 'endless derivation at the default budget: %e s wall, %U s user, %M KB peak' $modus proof -f "$work/endless.mf" app 2>&1 >/dev/null | grep -E 'endless|budget'
