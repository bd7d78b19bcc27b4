#!/usr/bin/env bash
# Pushes the frontend image to the local registry, where current Docker takes a `# syntax=` /
# BUILDKIT_SYNTAX image from (it never uses one from its local store): modus-frontend:dev becomes
# localhost:5000/modus-frontend:dev. Starts the registry first when none answers.
#
# Environment:
#   MODUS_DOCKER              the main daemon's client (default /usr/bin/docker)
#   MODUS_FRONTEND_IMAGE      the local image (default modus-frontend:dev)
#   MODUS_PUSHED_FRONTEND     where it goes (default localhost:5000/<name:tag of MODUS_FRONTEND_IMAGE>)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib.sh

IMAGE="${MODUS_FRONTEND_IMAGE:-modus-frontend:dev}"
PUSHED="${MODUS_PUSHED_FRONTEND:-localhost:5000/${IMAGE##*/}}"
LOG="${TMPDIR:-/tmp}/modus-push-frontend.log"

bash scripts/start-registry.sh
"$DOCKER" tag "$IMAGE" "$PUSHED"
logged "$LOG" "could not push $PUSHED" "$DOCKER" push "$PUSHED"
say "pushed $IMAGE as $PUSHED"
