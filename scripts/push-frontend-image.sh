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

DOCKER="${MODUS_DOCKER:-/usr/bin/docker}"
IMAGE="${MODUS_FRONTEND_IMAGE:-modus-frontend:dev}"
PUSHED="${MODUS_PUSHED_FRONTEND:-localhost:5000/${IMAGE##*/}}"
LOG="${TMPDIR:-/tmp}/modus-push-frontend.log"

bash scripts/start-registry.sh
"$DOCKER" tag "$IMAGE" "$PUSHED"
if ! "$DOCKER" push "$PUSHED" >"$LOG" 2>&1; then
  tail -n 20 "$LOG" >&2
  echo "push-frontend-image: error: could not push $PUSHED (log: $LOG)" >&2
  exit 1
fi
echo "push-frontend-image: pushed $IMAGE as $PUSHED"
