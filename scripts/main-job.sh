#!/usr/bin/env bash
# The main job: sets the machine up, builds the frontend image, then builds
# examples/hello/Modusfile into an image with a plain `docker build` (the Modusfile's
# `# syntax=modus-frontend:dev` line hands the build to our frontend) and runs that image.
#
#   bash scripts/main-job.sh [LANGUAGE]     LANGUAGE: en, fr (default) or de
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

DOCKER="${MODUS_DOCKER:-/usr/bin/docker}"
LANGUAGE="${1:-fr}"
GOAL="hello(\"$LANGUAGE\")"
TAG="modus-example/hello:$LANGUAGE"

bash scripts/setup-machine.sh
MODUS_SKIP_SETUP=1 bash scripts/build-frontend-image.sh

echo "+ docker build -f examples/hello/Modusfile --target '$GOAL' -t $TAG examples/hello"
DOCKER_BUILDKIT=1 "$DOCKER" build --progress=plain -f examples/hello/Modusfile --target "$GOAL" \
  -t "$TAG" examples/hello
echo "+ docker run --rm $TAG"
"$DOCKER" run --rm "$TAG"
