#!/usr/bin/env bash
# Builds modus-test/git:1, a minimal Debian 12 image with git in it, for the cache-probe
# end-to-end tests (test/e2e/caching): nothing can be pulled on an offline machine, so the root
# file system is made with debootstrap from Debian's archive and imported. Takes a minute or two
# the first time; skipped when the image already exists (delete it to rebuild).
#
# Environment:
#   MODUS_DOCKER        docker client (default /usr/bin/docker)
#   MODUS_GIT_IMAGE     tag to build (default modus-test/git:1)
#   MODUS_DEBIAN_MIRROR Debian archive (default http://deb.debian.org/debian)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

IMAGE="${MODUS_GIT_IMAGE:-modus-test/git:1}"
MIRROR="${MODUS_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
LOG="${TMPDIR:-/tmp}/modus-git-image.log"

docker_answers || fail "no docker daemon answers '$DOCKER info' (run scripts/setup-machine.sh)"
if "$DOCKER" image inspect "$IMAGE" >/dev/null 2>&1; then
  exit 0
fi
command -v debootstrap >/dev/null || fail "debootstrap is not installed (run scripts/setup-machine.sh)"

ROOT="$(mktemp -d "${TMPDIR:-/tmp}/modus-git-rootfs.XXXXXX")"
trap 'rm -rf "$ROOT"' EXIT

say "debootstrap bookworm with git (log: $LOG)"
logged "$LOG" "debootstrap failed" debootstrap --variant=minbase --include=git,ca-certificates bookworm "$ROOT" "$MIRROR"
# Package lists and caches are of no use in a test image and only make it bigger.
rm -rf "$ROOT"/var/cache/apt/archives/*.deb "$ROOT"/var/lib/apt/lists/*

tar --numeric-owner -C "$ROOT" -cf - . |
  "$DOCKER" import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["/bin/sh"]' \
    - "$IMAGE" >/dev/null
size_bytes="$("$DOCKER" image inspect -f '{{.Size}}' "$IMAGE")"
say "built $IMAGE ($((size_bytes / 1000000)) MB)"
