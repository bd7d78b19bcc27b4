#!/usr/bin/env bash
# Starts "current Docker": Docker 28 + buildx from Debian sid, in a chroot beside the main
# (Debian 12, Docker 20.10) daemon, for the end-to-end tests that run on both. Idempotent: the
# chroot is made once (debootstrap, about 2.5 min), the mounts and the daemon only when missing.
#
# The daemon has its own socket, data root, exec root, pid file and bridge (modus-c0), no iptables
# rules (the main daemon's docker0 is never touched), the containerd image store
# (features.containerd-snapshotter) and, for tests of a remote daemon, a plain TCP listener on
# loopback. Its client is a wrapper, $STATE/bin/docker: a docker client >= 23 with the chroot's
# buildx plugin in a config folder of its own (~/.docker is left alone).
#
# Sid moves: the script prints the versions it got and no test depends on an exact one. With
# MODUS_CURRENT_SUITE=trixie it makes Docker 26.1 + buildx 0.13 instead (the fallback).
#
# Environment:
#   MODUS_CURRENT_STATE   everything of this daemon (default /var/lib/modus-current)
#   MODUS_CURRENT_SUITE   Debian suite of the chroot (default sid)
#   MODUS_CURRENT_TCP     loopback TCP address it also listens on (default 127.0.0.1:2385)
#   MODUS_CURRENT_BRIDGE, MODUS_CURRENT_BRIDGE_ADDR
#                         its bridge and address (default modus-c0, 172.31.253.1/24); a second
#                         current daemon beside the first (e.g. trixie's) needs its own, its own
#                         MODUS_CURRENT_STATE and MODUS_CURRENT_TCP
#   MODUS_CURRENT_IMAGES  images copied from the main daemon (default: the busybox, git and node test images)
#   MODUS_DEBIAN_MIRROR   Debian archive (default: the machine's own, from its apt sources)
#   MODUS_DOCKER          the main daemon's client (default /usr/bin/docker)
#   MODUS_DOCKERD_TIMEOUT seconds to wait for the daemon (default 90)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib.sh

STATE="${MODUS_CURRENT_STATE:-/var/lib/modus-current}"
SUITE="${MODUS_CURRENT_SUITE:-sid}"
ROOT="$STATE/root-$SUITE"
TCP="${MODUS_CURRENT_TCP:-127.0.0.1:2385}"
IMAGES="${MODUS_CURRENT_IMAGES:-modus-test/busybox:1 modus-test/git:1 modus-node-base:20}"
TIMEOUT="${MODUS_DOCKERD_TIMEOUT:-90}"
BRIDGE="${MODUS_CURRENT_BRIDGE:-modus-c0}"
BRIDGE_ADDR="${MODUS_CURRENT_BRIDGE_ADDR:-172.31.253.1/24}"
SOCKET_IN_ROOT=/run/modus-current/docker.sock
HOST_SOCKET="unix://$ROOT$SOCKET_IN_ROOT"
CLIENT="$STATE/bin/docker"
LOG="$STATE/dockerd.log"
PACKAGES=docker.io,docker-buildx,docker-cli,iptables,ca-certificates

machine_mirror() {
  local uri
  uri="$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)"
  echo "${MODUS_DEBIAN_MIRROR:-${uri:-http://deb.debian.org/debian}}"
}

make_chroot() {
  [[ -f "$ROOT/.modus-ready" ]] && return 0
  command -v debootstrap >/dev/null || fail "debootstrap is not installed (run scripts/setup-machine.sh)"
  local mirror log="$STATE/debootstrap-$SUITE.log"
  mirror="$(machine_mirror)"
  say "making a Debian $SUITE chroot with docker.io and buildx in $ROOT (log: $log)"
  mkdir -p "$STATE"
  rm -rf "$ROOT"
  logged "$log" "debootstrap $SUITE failed (MODUS_CURRENT_SUITE=trixie is the fallback)" \
    debootstrap --variant=minbase --include="$PACKAGES" "$SUITE" "$ROOT" "$mirror"
  printf '127.0.0.1 localhost\n::1 localhost\n' >"$ROOT/etc/hosts"
  mkdir -p "$ROOT/etc/docker"
  printf '{\n  "features": { "containerd-snapshotter": true }\n}\n' >"$ROOT/etc/docker/daemon.json"
  touch "$ROOT/.modus-ready"
}

# dockerd remounts / private when it extracts layers, so the chroot must be a mount of its own;
# a plain bind of /sys misses the cgroup v1 hierarchies (rbind).
mount_chroot() {
  mountpoint -q "$ROOT" || { mount --bind "$ROOT" "$ROOT" && mount --make-private "$ROOT"; }
  mountpoint -q "$ROOT/proc" || mount --bind /proc "$ROOT/proc"
  mountpoint -q "$ROOT/dev" || mount --bind /dev "$ROOT/dev"
  mountpoint -q "$ROOT/dev/pts" || mount --bind /dev/pts "$ROOT/dev/pts"
  mountpoint -q "$ROOT/sys" || mount --rbind /sys "$ROOT/sys"
}

# The client: the chroot's docker CLI when it runs on the host, else a docker >= 23 on PATH.
make_client() {
  local plugins="$STATE/config/cli-plugins" binary
  mkdir -p "$plugins" "$STATE/bin"
  cp -f "$ROOT/usr/libexec/docker/cli-plugins/docker-buildx" "$plugins/docker-buildx"
  if "$ROOT/usr/bin/docker" --version >/dev/null 2>&1; then
    binary="$ROOT/usr/bin/docker"
  elif [[ -x /usr/local/bin/docker ]]; then
    binary=/usr/local/bin/docker
  else
    fail "no docker client >= 23 runs on this host"
  fi
  cat >"$CLIENT.tmp" <<EOF
#!/bin/sh
# The current Docker's client (made by scripts/start-current-docker.sh).
export DOCKER_CONFIG="$STATE/config"
export DOCKER_HOST="\${DOCKER_HOST:-$HOST_SOCKET}"
exec "$binary" "\$@"
EOF
  chmod +x "$CLIENT.tmp"
  mv -f "$CLIENT.tmp" "$CLIENT"
}

# wait_for_daemon [PID]: until the current daemon answers.
wait_for_daemon() {
  wait_for "$TIMEOUT" "$LOG" "${1:-}" "current dockerd on $HOST_SOCKET" docker_answers "$CLIENT"
}

start_daemon() {
  docker_answers "$CLIENT" && return 0
  if live_dockerd "$ROOT/run/modus-current.pid"; then
    wait_for_daemon
    return 0
  fi
  mkdir -p "$ROOT/run/modus-current"
  rm -f "$ROOT$SOCKET_IN_ROOT"
  ensure_bridge "$BRIDGE" "$BRIDGE_ADDR"
  # setsid: the daemon outlives this script and does not get the caller's signals.
  setsid chroot "$ROOT" /usr/sbin/dockerd \
    --host "unix://$SOCKET_IN_ROOT" \
    --host "tcp://$TCP" --tls=false \
    --data-root /var/lib/docker-modus \
    --exec-root /run/docker-modus \
    --pidfile /run/modus-current.pid \
    --bridge="$BRIDGE" \
    --iptables=false --ip6tables=false \
    >>"$LOG" 2>&1 </dev/null &
  local pid=$!
  say "started dockerd ($SUITE) on $HOST_SOCKET and tcp://$TCP (pid $pid, log: $LOG)"
  wait_for_daemon "$pid"
}

# Images are copied by name; a label of ours records the main daemon's id so an unchanged image
# is not copied again (the containerd store gives the copy another id).
copy_images() {
  local image main_id copied_id
  for image in $IMAGES; do
    main_id="$("$DOCKER" image inspect --format '{{.Id}}' "$image" 2>/dev/null)" ||
      fail "image $image is missing on the main daemon (run .ci/run's image phases)"
    copied_id="$(cat "$STATE/copied/${image//[\/:]/_}" 2>/dev/null || true)"
    if [[ "$main_id" == "$copied_id" ]] && "$CLIENT" image inspect "$image" >/dev/null 2>&1; then
      continue
    fi
    say "copying $image from the main daemon"
    "$DOCKER" save "$image" | "$CLIENT" load >/dev/null || fail "could not copy $image"
    mkdir -p "$STATE/copied"
    echo "$main_id" >"$STATE/copied/${image//[\/:]/_}"
  done
}

print_versions() {
  local server buildx
  server="$("$CLIENT" version --format '{{.Server.Version}}' 2>/dev/null || echo unknown)"
  buildx="$("$CLIENT" buildx version 2>/dev/null | awk '{ print $2 }' || echo unknown)"
  say "Debian $SUITE: docker $server, buildx $buildx; client: $CLIENT"
}

make_chroot
mount_chroot
make_client
start_daemon
copy_images
print_versions
