#!/usr/bin/env bash
# Soak: many concurrent `docker build`s through the Modus frontend, several rounds, every build
# doing real work (a shell loop and a file whose content is unique to the build, so nothing is
# cached). Counts the builds that failed and why; a frontend that dies shows up as a failed build.
#
# Usage: bench/soak/run.sh [--daemon main|current] [--builds 20] [--rounds 5] [--frontend IMAGE]
#   main:    Docker 20.10 (/usr/bin/docker, DOCKER_BUILDKIT=1), frontend from the local store
#            (default modus-frontend:dev)
#   current: Docker 28 + buildx (/var/lib/modus-current/bin/docker buildx build), the frontend
#            from the local registry (default localhost:5000/modus-frontend:dev), busybox from
#            its image store (the e2e set-up loads it)
# Prints one line per round and a summary with the load average; exits 1 when a build failed.
set -euo pipefail
cd "$(dirname "$0")/../.."

daemon=main builds=20 rounds=5 frontend=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --daemon) daemon="$2"; shift 2 ;;
    --builds) builds="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --frontend) frontend="$2"; shift 2 ;;
    *) echo "soak: unknown option $1" >&2; exit 2 ;;
  esac
done

case "$daemon" in
  main)
    docker_cmd=("${MODUS_DOCKER:-/usr/bin/docker}" build)
    frontend="${frontend:-modus-frontend:dev}"
    busybox=modus-test/busybox:1
    export DOCKER_BUILDKIT=1 ;;
  current)
    docker_cmd=(/var/lib/modus-current/bin/docker buildx build)
    frontend="${frontend:-localhost:5000/modus-frontend:dev}"
    busybox=modus-test/busybox:1 ;;
  *) echo "soak: --daemon is main or current" >&2; exit 2 ;;
esac

work=$(mktemp -d)
trap '[[ -n "${SOAK_KEEP:-}" ]] || rm -rf "$work"' EXIT
mkdir -p "$work/context" "$work/logs"
# Real work per build: a loop of 30000 shell iterations, then a file written from the goal's
# argument (unique per build and round, so no step is a cache hit) and a copy from the context.
cat >"$work/context/Modusfile" <<MODUS
work(id) :-
  from("$busybox"),
  run(f"sh -c 'i=0; while [ \$i -lt 30000 ]; do i=\$((i+1)); done; echo \${id} \$i > /out'"),
  copy("input.txt", "/input.txt"),
  run("cat /out /input.txt > /result").
MODUS
seq 1 2000 >"$work/context/input.txt"

run_id="$(date +%s)-$$"
failed=0 total=0 max_load=0
[[ -n "${SOAK_KEEP:-}" ]] && echo "soak: logs in $work/logs"
echo "soak: daemon=$daemon frontend=$frontend builds=$builds rounds=$rounds load before: $(cut -d' ' -f1-3 /proc/loadavg)"
started=$(date +%s)
for round in $(seq 1 "$rounds"); do
  round_start=$(date +%s)
  pids=()
  for b in $(seq 1 "$builds"); do
    log="$work/logs/r$round-b$b.log"
    "${docker_cmd[@]}" --progress=plain --network=none \
      --build-arg BUILDKIT_SYNTAX="$frontend" \
      --target "work(\"$run_id-r$round-b$b\")" \
      --output "type=tar,dest=/dev/null" \
      -f "$work/context/Modusfile" "$work/context" >"$log" 2>&1 &
    pids+=($!)
  done
  round_failed=0
  for i in "${!pids[@]}"; do
    if ! wait "${pids[$i]}"; then
      round_failed=$((round_failed + 1))
      log="$work/logs/r$round-b$((i + 1)).log"
      reason=$(grep -m1 -E 'ERROR|error:|failed to solve' "$log" || tail -n 1 "$log")
      echo "  round $round build $((i + 1)) failed: $reason"
    fi
  done
  load=$(cut -d' ' -f1 /proc/loadavg)
  max_load=$(awk -v a="$max_load" -v b="$load" 'BEGIN { print (b > a) ? b : a }')
  total=$((total + builds)); failed=$((failed + round_failed))
  echo "round $round: $((builds - round_failed))/$builds succeeded in $(( $(date +%s) - round_start )) s, load average $load"
done
echo "soak: $((total - failed))/$total builds succeeded in $(( $(date +%s) - started )) s; highest 1-minute load average seen after a round: $max_load; load after: $(cut -d' ' -f1-3 /proc/loadavg)"
[[ $failed -eq 0 ]]
