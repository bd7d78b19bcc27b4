#!/usr/bin/env bash
# Starts "machine B": a second dockerd beside the main one, for tests and benchmarks that need two
# machines sharing a registry (image substitution from a cache repository). Its own data root,
# exec root, pid file and socket, its own bridge (modus-b0) and no iptables rules, so that it leaves
# the first daemon's docker0 alone; builds on it therefore need `--network=none`.
# (Not `--bridge=none`: a dockerd started with it deletes an existing docker0 interface, which
# breaks every default-network container of the first daemon.)
# Idempotent: when B already answers, only the images are brought up to date. Then it copies the
# images builds need from the main daemon (docker save | docker -H B load), each only when B's copy
# has a different id, so an empty build cache on B costs no rebuild of the frontend.
#
# Environment:
#   MODUS_DOCKER            docker client (default /usr/bin/docker)
#   MODUS_B_HOST            B's socket (default unix:///var/run/modus-b.sock)
#   MODUS_B_ROOT            B's data root (default /var/lib/modus-docker-b)
#   MODUS_B_EXEC_ROOT       B's exec root (default /var/run/modus-docker-b)
#   MODUS_B_LOG             B's log (default /var/log/modus-dockerd-b.log)
#   MODUS_B_IMAGES          images copied from the main daemon (default: the frontend and busybox)
#   MODUS_DOCKERD_TIMEOUT   seconds to wait for B to answer (default 60)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

B_HOST="${MODUS_B_HOST:-unix:///var/run/modus-b.sock}"
B_ROOT="${MODUS_B_ROOT:-/var/lib/modus-docker-b}"
B_EXEC_ROOT="${MODUS_B_EXEC_ROOT:-/var/run/modus-docker-b}"
B_PIDFILE="$B_EXEC_ROOT.pid"
B_LOG="${MODUS_B_LOG:-/var/log/modus-dockerd-b.log}"
B_IMAGES="${MODUS_B_IMAGES:-${MODUS_FRONTEND_IMAGE:-modus-frontend:dev} modus-test/busybox:1}"
TIMEOUT="${MODUS_DOCKERD_TIMEOUT:-60}"
B_BRIDGE="${MODUS_B_BRIDGE:-modus-b0}"
B_BRIDGE_ADDR="${MODUS_B_BRIDGE_ADDR:-172.31.254.1/24}"

b_answers() {
  timeout 10 "$DOCKER" -H "$B_HOST" info >/dev/null 2>&1
}

# wait_for_b [PID]: until B answers.
wait_for_b() {
  wait_for "$TIMEOUT" "$B_LOG" "${1:-}" "the second dockerd on $B_HOST" b_answers
}

start_b() {
  b_answers && return 0
  # A pid file naming a live dockerd means B is starting (or hung): wait for it, never start twice.
  if live_dockerd "$B_PIDFILE"; then
    wait_for_b
    return 0
  fi
  command -v dockerd >/dev/null || fail "dockerd not found (run scripts/setup-machine.sh)"
  mkdir -p "$B_ROOT" "$B_EXEC_ROOT" "$(dirname "$B_LOG")"
  # A socket left by a killed daemon would make dockerd refuse to listen.
  [[ "$B_HOST" == unix://* ]] && rm -f "${B_HOST#unix://}"
  ensure_bridge "$B_BRIDGE" "$B_BRIDGE_ADDR"
  # setsid: B must outlive this script and not receive the caller's signals.
  setsid dockerd \
    --host "$B_HOST" \
    --data-root "$B_ROOT" \
    --exec-root "$B_EXEC_ROOT" \
    --pidfile "$B_PIDFILE" \
    --bridge="$B_BRIDGE" \
    --iptables=false \
    >>"$B_LOG" 2>&1 </dev/null &
  local pid=$!
  say "started dockerd B (pid $pid, $B_HOST, log: $B_LOG)"
  wait_for_b "$pid"
}

# image_id IMAGE [DOCKER OPTIONS...]: the id, or nothing when the image is absent.
image_id() {
  local image="$1"
  shift
  "$DOCKER" "$@" image inspect --format '{{.Id}}' "$image" 2>/dev/null || true
}

copy_images() {
  local image a_id b_id
  for image in $B_IMAGES; do
    a_id="$(image_id "$image")"
    [[ -n "$a_id" ]] || fail "image $image is missing on the main daemon (build it: npm run image)"
    b_id="$(image_id "$image" -H "$B_HOST")"
    [[ "$a_id" == "$b_id" ]] && continue
    say "copying $image to B"
    "$DOCKER" save "$image" | "$DOCKER" -H "$B_HOST" load >/dev/null || fail "could not copy $image to B"
  done
}

start_b
copy_images
