#!/usr/bin/env bash
# Cost of a cache probe when nothing changed: the same warm build with and without
# ::cache_probe, side by side, and the probe command's own time.
# Usage: bench/probe/run.sh [--reps N] [--json FILE]
# Environment: MODUS_DOCKER (default /usr/bin/docker), MODUS_FRONTEND_IMAGE (default modus-frontend:dev).
set -euo pipefail
cd "$(dirname "$0")/../.."
build_dir=$(mktemp -d)
trap 'rm -rf "$build_dir"' EXIT
npx esbuild bench/probe/run.ts --bundle --platform=node --target=node20 \
  --outfile="$build_dir/run.js" --log-level=warning
node "$build_dir/run.js" "$@"
