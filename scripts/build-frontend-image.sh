#!/usr/bin/env bash
# `npm run image`: bundles the frontend and builds the frontend image modus-frontend:dev offline,
# FROM the local node base image (scripts/build-base-images.sh), then prints the image size.
#
# Environment:
#   MODUS_DOCKER          docker client (default /usr/bin/docker)
#   MODUS_FRONTEND_IMAGE  tag to build (default modus-frontend:dev)
#   MODUS_NODE_IMAGE      base image (default modus-node-base:20, built here when it is the default)
#   MODUS_SKIP_SETUP=1    skip scripts/setup-machine.sh (when the caller has just run it)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib.sh

IMAGE="${MODUS_FRONTEND_IMAGE:-modus-frontend:dev}"
NODE_IMAGE="${MODUS_NODE_IMAGE:-modus-node-base:20}"
BUILD_LOG="${TMPDIR:-/tmp}/modus-frontend-image.log"

[[ "${MODUS_SKIP_SETUP:-}" == 1 ]] || bash scripts/setup-machine.sh
npm run --silent build
bash scripts/build-base-images.sh

logged "$BUILD_LOG" "docker build failed" \
  env DOCKER_BUILDKIT=1 "$DOCKER" build --progress=plain -t "$IMAGE" --build-arg NODE_IMAGE="$NODE_IMAGE" .

size_bytes="$("$DOCKER" image inspect -f '{{.Size}}' "$IMAGE")"
say "$IMAGE is $((size_bytes / 1000000)) MB ($size_bytes bytes)"
