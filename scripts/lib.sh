# What the set-up scripts share; sourced, never run:
#   source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# Messages start with the name of the script that sources this file.

SCRIPT_NAME="$(basename "${BASH_SOURCE[1]}" .sh)"
# The main daemon's client: the newer /usr/local/bin/docker refuses BuildKit builds.
DOCKER="${MODUS_DOCKER:-/usr/bin/docker}"

say() { echo "$SCRIPT_NAME: $*"; }

fail() {
  echo "$SCRIPT_NAME: error: $*" >&2
  exit 1
}

# docker_answers [CLIENT]: the daemon of CLIENT (default $DOCKER) answers `info`.
docker_answers() {
  timeout 10 "${1:-$DOCKER}" info >/dev/null 2>&1
}

# logged LOG MESSAGE COMMAND...: runs COMMAND with its output in LOG (overwritten); when it fails,
# shows the end of LOG and fails with MESSAGE.
logged() {
  local log="$1" message="$2"
  shift 2
  "$@" >"$log" 2>&1 && return 0
  tail -n 30 "$log" >&2 || true
  fail "$message (log: $log)"
}

# wait_for TIMEOUT LOG PID WHAT COMMAND...: runs COMMAND until it succeeds. Fails, showing the end
# of LOG, when TIMEOUT seconds pass first or when PID (unless empty) exits first.
wait_for() {
  local timeout="$1" log="$2" pid="$3" what="$4" deadline
  shift 4
  deadline=$((SECONDS + timeout))
  until "$@"; do
    if [[ -n "$pid" ]] && ! kill -0 "$pid" 2>/dev/null; then
      tail -n 30 "$log" >&2 || true
      fail "$what exited while starting (log: $log)"
    fi
    if ((SECONDS >= deadline)); then
      tail -n 30 "$log" >&2 || true
      fail "$what did not answer within ${timeout}s (log: $log)"
    fi
    sleep 0.5
  done
}

# live_dockerd PIDFILE: the pid file names a running dockerd (one starting, or hung).
live_dockerd() {
  local pid
  pid="$(cat "$1" 2>/dev/null)" || return 1
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null && [[ "$(cat "/proc/$pid/comm" 2>/dev/null)" == dockerd ]]
}

# ensure_bridge NAME ADDRESS: a bridge interface for a daemon beside the main one (dockerd uses
# an existing one as given and creates nothing), so the main daemon's docker0 is left alone.
ensure_bridge() {
  ip link show "$1" >/dev/null 2>&1 && return 0
  ip link add name "$1" type bridge
  ip addr add "$2" dev "$1"
  ip link set "$1" up
}
