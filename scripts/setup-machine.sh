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
source scripts/lib.sh

DOCKERD_LOG="${MODUS_DOCKERD_LOG:-/var/log/modus-dockerd.log}"
DOCKERD_TIMEOUT="${MODUS_DOCKERD_TIMEOUT:-60}"
APT_LOG="${TMPDIR:-/tmp}/modus-apt.log"
# zsh and fish: the tests run `modus completion zsh|fish` in the real shells.
PACKAGES=(docker.io busybox-static git docker-registry debootstrap swi-prolog-nox ca-certificates iproute2
  qemu-user-static binfmt-support zsh fish)

package_installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

install_missing_packages() {
  local missing=() package
  for package in "${PACKAGES[@]}"; do
    package_installed "$package" || missing+=("$package")
  done
  ((${#missing[@]} == 0)) && return 0
  say "installing ${missing[*]} (log: $APT_LOG)"
  # needrestart (recommended by docker.io) would otherwise ask about services after the install.
  logged "$APT_LOG" "apt-get failed" env DEBIAN_FRONTEND=noninteractive NEEDRESTART_SUSPEND=1 \
    sh -c 'apt-get update -q && apt-get install -y -q "$@"' apt-get "${missing[@]}"
}

check_node() {
  command -v node >/dev/null || fail "node is not installed (Node 20 or newer is needed)"
  local major
  major="$(node -p 'process.versions.node.split(".")[0]')"
  ((major >= 20)) || fail "node $(node --version) is too old (Node 20 or newer is needed)"
}

# A dockerd may already be starting (for instance one started by the package's init script):
# wait for it instead of starting a second one on the same socket and data root.
# The main daemon is starting when a dockerd serves its socket (machine B, if any, has its own).
dockerd_running() {
  pgrep -f '^dockerd --host unix:///var/run/docker.sock' >/dev/null 2>&1
}

# wait_for_daemon [PID]: until `$DOCKER info` answers.
wait_for_daemon() {
  wait_for "$DOCKERD_TIMEOUT" "$DOCKERD_LOG" "${1:-}" "dockerd ('$DOCKER info')" docker_answers
}

ensure_daemon() {
  [[ -x "$DOCKER" ]] || fail "docker client $DOCKER not found (set MODUS_DOCKER)"
  docker_answers && return 0
  if dockerd_running; then
    wait_for_daemon
    return 0
  fi
  command -v dockerd >/dev/null || fail "dockerd not found (is docker.io installed?)"
  mkdir -p "$(dirname "$DOCKERD_LOG")"
  # setsid: the daemon must outlive this script and not receive the caller's signals.
  setsid dockerd --host unix:///var/run/docker.sock >>"$DOCKERD_LOG" 2>&1 </dev/null &
  local pid=$!
  say "started dockerd (pid $pid, log: $DOCKERD_LOG)"
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
    say "warning: no arm64 emulator (binfmt_misc qemu-aarch64); arm64 run steps will fail" >&2
}

ensure_node_modules() {
  [[ -d node_modules ]] && return 0
  say "npm ci"
  npm ci --no-audit --no-fund --loglevel=error >&2 || fail "npm ci failed"
}

install_missing_packages
ensure_arm64_emulator
check_node
ensure_daemon
ensure_node_modules
