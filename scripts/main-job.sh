#!/usr/bin/env bash
# The main job: sets the machine up, builds the frontend image, then builds
# examples/hello/Modusfile into an image with a plain `docker build` (the Modusfile's
# `# syntax=modus-frontend:dev` line hands the build to our frontend) and runs that image.
# With --current it does the same on current Docker (28 + buildx, scripts/start-current-docker.sh):
# the frontend is pushed to the local registry and named by BUILDKIT_SYNTAX, as a user of current
# Docker does (it takes a frontend image from a registry only).
#
#   bash scripts/main-job.sh [--current] [LANGUAGE]     LANGUAGE: en, fr (default) or de
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

CURRENT=0
if [[ "${1:-}" == --current ]]; then
  CURRENT=1
  shift
fi
DOCKER="${MODUS_DOCKER:-/usr/bin/docker}"
LANGUAGE="${1:-fr}"
GOAL="hello(\"$LANGUAGE\")"
TAG="modus-example/hello:$LANGUAGE"

bash scripts/setup-machine.sh
MODUS_SKIP_SETUP=1 bash scripts/build-frontend-image.sh

if ((CURRENT)); then
  bash scripts/start-current-docker.sh
  bash scripts/push-frontend-image.sh
  DOCKER=/var/lib/modus-current/bin/docker
  FRONTEND=localhost:5000/modus-frontend:dev
  echo "+ docker buildx build --build-arg BUILDKIT_SYNTAX=$FRONTEND -f examples/hello/Modusfile --target '$GOAL' -t $TAG examples/hello"
  "$DOCKER" buildx build --progress=plain --build-arg BUILDKIT_SYNTAX="$FRONTEND" \
    -f examples/hello/Modusfile --target "$GOAL" -t "$TAG" examples/hello
else
  echo "+ docker build -f examples/hello/Modusfile --target '$GOAL' -t $TAG examples/hello"
  DOCKER_BUILDKIT=1 "$DOCKER" build --progress=plain -f examples/hello/Modusfile --target "$GOAL" \
    -t "$TAG" examples/hello
fi
echo "+ docker run --rm $TAG"
"$DOCKER" run --rm "$TAG"
