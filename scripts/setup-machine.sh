#!/usr/bin/env bash
# Makes a Debian 12 machine ready for the project: the apt packages, a running dockerd, node_modules.
# Idempotent and quiet when everything is already there; safe to run before every build or test.
#
# Environment:
#   MODUS_DOCKER          docker client (default /usr/bin/docker: the newer /usr/local/bin/docker
#                         refuses BuildKit builds)
#   MODUS_DOCKERD_LOG     where a dockerd started here logs (default /var/log/modus-dockerd.log)
#   MODUS_DOCKERD_TIMEOUT seconds to wait for the daemon to answer (default 60)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

DOCKER="${MODUS_DOCKER:-/usr/bin/docker}"
DOCKERD_LOG="${MODUS_DOCKERD_LOG:-/var/log/modus-dockerd.log}"
DOCKERD_TIMEOUT="${MODUS_DOCKERD_TIMEOUT:-60}"
APT_LOG="${TMPDIR:-/tmp}/modus-apt.log"
# zsh and fish: the tests run `modus completion zsh|fish` in the real shells.
PACKAGES=(docker.io busybox-static git docker-registry debootstrap swi-prolog-nox ca-certificates iproute2
  qemu-user-static binfmt-support zsh fish)

fail() {
  echo "setup-machine: error: $*" >&2
  exit 1
}

package_installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

install_missing_packages() {
  local missing=() package
  for package in "${PACKAGES[@]}"; do
    package_installed "$package" || missing+=("$package")
  done
  ((${#missing[@]} == 0)) && return 0
  echo "setup-machine: installing ${missing[*]} (log: $APT_LOG)"
  # needrestart (recommended by docker.io) would otherwise ask about services after the install.
  if ! {
    DEBIAN_FRONTEND=noninteractive NEEDRESTART_SUSPEND=1 apt-get update -q &&
      DEBIAN_FRONTEND=noninteractive NEEDRESTART_SUSPEND=1 apt-get install -y -q "${missing[@]}"
  } >"$APT_LOG" 2>&1; then
    tail -n 30 "$APT_LOG" >&2
    fail "apt-get failed (full log: $APT_LOG)"
  fi
}

check_node() {
  command -v node >/dev/null || fail "node is not installed (Node 20 or newer is needed)"
  local major
  major="$(node -p 'process.versions.node.split(".")[0]')"
  ((major >= 20)) || fail "node $(node --version) is too old (Node 20 or newer is needed)"
}

daemon_answers() {
  timeout 10 "$DOCKER" info >/dev/null 2>&1
}

# A dockerd may already be starting (for instance one started by the package's init script):
# wait for it instead of starting a second one on the same socket and data root.
# The main daemon is starting when a dockerd serves its socket (machine B, if any, has its own).
dockerd_running() {
  pgrep -f '^dockerd --host unix:///var/run/docker.sock' >/dev/null 2>&1
}

wait_for_daemon() {
  local started_pid="${1:-}" deadline=$((SECONDS + DOCKERD_TIMEOUT))
  until daemon_answers; do
    if [[ -n "$started_pid" ]] && ! kill -0 "$started_pid" 2>/dev/null; then
      tail -n 30 "$DOCKERD_LOG" >&2 || true
      fail "dockerd exited while starting (log: $DOCKERD_LOG)"
    fi
    if ((SECONDS >= deadline)); then
      tail -n 30 "$DOCKERD_LOG" >&2 || true
      fail "the docker daemon did not answer '$DOCKER info' within ${DOCKERD_TIMEOUT}s (log: $DOCKERD_LOG)"
    fi
    sleep 1
  done
}

ensure_daemon() {
  [[ -x "$DOCKER" ]] || fail "docker client $DOCKER not found (set MODUS_DOCKER)"
  daemon_answers && return 0
  if dockerd_running; then
    wait_for_daemon
    return 0
  fi
  command -v dockerd >/dev/null || fail "dockerd not found (is docker.io installed?)"
  mkdir -p "$(dirname "$DOCKERD_LOG")"
  # setsid: the daemon must outlive this script and not receive the caller's signals.
  setsid dockerd --host unix:///var/run/docker.sock >>"$DOCKERD_LOG" 2>&1 </dev/null &
  local pid=$!
  echo "setup-machine: started dockerd (pid $pid, log: $DOCKERD_LOG)"
  wait_for_daemon "$pid"
}

# arm64 `run` steps (docs/frontend.md, Platforms) go through qemu, registered with binfmt_misc.
# The registration is kernel state: after a reboot the package is there but the handler is not.
# Without it only the emulated-run tests fail, so this warns instead of stopping the set-up.
ensure_arm64_emulator() {
  local binfmt=/proc/sys/fs/binfmt_misc
  [[ -e "$binfmt/register" ]] || mount -t binfmt_misc binfmt_misc "$binfmt" 2>/dev/null || true
  [[ -e "$binfmt/qemu-aarch64" ]] || update-binfmts --enable qemu-aarch64 >/dev/null 2>&1 || true
  [[ -e "$binfmt/qemu-aarch64" ]] ||
    echo "setup-machine: warning: no arm64 emulator (binfmt_misc qemu-aarch64); arm64 run steps will fail" >&2
}

ensure_node_modules() {
  [[ -d node_modules ]] && return 0
  echo "setup-machine: npm ci"
  npm ci --no-audit --no-fund --loglevel=error >&2 || fail "npm ci failed"
}

install_missing_packages
ensure_arm64_emulator
check_node
ensure_daemon
ensure_node_modules
