#!/usr/bin/env bash
# Pushes modus-test/busybox-multi:1 to the local registry: a busybox image for linux/amd64 and
# linux/arm64 (an index with both), for the tests of `run` steps on an emulated platform
# (test/e2e/frontend/emulated-run.test.ts). Both root file systems are Debian's static busybox:
# the machine's own, and the arm64 package taken with apt (the arm64 architecture is added to
# dpkg for that, once). Nothing in it runs here, so making it needs no emulator: current Docker's
# buildx copies each file system into its platform's image and pushes the index.
# Takes a second once the arm64 package is cached.
#
# Environment:
#   MODUS_CURRENT_DOCKER   current Docker's client (default /var/lib/modus-current/bin/docker)
#   MODUS_REGISTRY_ADDR    the local registry (default 127.0.0.1:5000)
#   MODUS_MULTIARCH_IMAGE  repository:tag in that registry (default modus-test/busybox-multi:1)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib.sh

CURRENT_DOCKER="${MODUS_CURRENT_DOCKER:-/var/lib/modus-current/bin/docker}"
REGISTRY="${MODUS_REGISTRY_ADDR:-127.0.0.1:5000}"
IMAGE="$REGISTRY/${MODUS_MULTIARCH_IMAGE:-modus-test/busybox-multi:1}"
CACHE=/var/cache/modus-multiarch
LOG="${TMPDIR:-/tmp}/modus-multiarch-image.log"

# The arm64 busybox binary, from Debian's archive, kept in $CACHE.
arm64_busybox() {
  local binary="$CACHE/arm64/bin/busybox"
  [[ -x "$binary" ]] && { echo "$binary"; return 0; }
  mkdir -p "$CACHE"
  if ! dpkg --print-foreign-architectures | grep -qx arm64; then
    dpkg --add-architecture arm64
    DEBIAN_FRONTEND=noninteractive apt-get update -q >>"$LOG" 2>&1 || fail "apt-get update failed (log: $LOG)"
  fi
  (cd "$CACHE" && rm -f ./*.deb && apt-get download busybox-static:arm64 >>"$LOG" 2>&1) ||
    fail "cannot download busybox-static:arm64 (log: $LOG)"
  dpkg-deb -x "$CACHE"/busybox-static_*_arm64.deb "$CACHE/arm64" || fail "cannot unpack busybox-static:arm64"
  echo "$binary"
}

# DIR/rootfs-ARCH: busybox with the applets the tests use.
add_rootfs() {
  local dir="$1" arch="$2" binary="$3" applet
  mkdir -p "$dir/rootfs-$arch/bin"
  cp -L "$binary" "$dir/rootfs-$arch/bin/busybox"
  for applet in sh cat echo uname ls; do ln -s busybox "$dir/rootfs-$arch/bin/$applet"; done
}

docker_answers "$CURRENT_DOCKER" || fail "current Docker does not answer (run scripts/start-current-docker.sh)"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/modus-multiarch.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
arm64_binary="$(arm64_busybox)"
add_rootfs "$WORK" amd64 "$(command -v busybox || echo /bin/busybox)"
add_rootfs "$WORK" arm64 "$arm64_binary"
printf 'FROM scratch\nARG TARGETARCH\nCOPY rootfs-${TARGETARCH}/ /\n' >"$WORK/Dockerfile"
logged "$LOG" "buildx build --push of $IMAGE failed" \
  "$CURRENT_DOCKER" buildx build --platform linux/amd64,linux/arm64 --provenance=false -t "$IMAGE" --push "$WORK"
say "pushed $IMAGE (linux/amd64, linux/arm64)"
