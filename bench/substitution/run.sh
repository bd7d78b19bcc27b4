#!/usr/bin/env bash
# Cold builds on machine B with and without the cache repository, side by side (see run.ts).
# Usage: bench/substitution/run.sh [--reps N] [--scale S] [--json FILE]
# Environment: MODUS_DOCKER (default /usr/bin/docker), MODUS_FRONTEND_IMAGE (default
# modus-frontend:dev), MODUS_B_HOST (default unix:///var/run/modus-b.sock).
# Needs the main dockerd, `npm run image` and the busybox test image; starts the registry and
# machine B when they are not running.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash scripts/start-registry.sh
bash scripts/start-second-daemon.sh
build_dir=$(mktemp -d)
trap 'rm -rf "$build_dir"' EXIT
npx esbuild bench/substitution/run.ts --bundle --platform=node --target=node20 \
  --outfile="$build_dir/run.js" --log-level=warning
npx esbuild frontend/cli/main.ts --bundle --platform=node --target=node20 \
  --outfile="$build_dir/modus.js" --log-level=warning
MODUS_BENCH_CLI="$build_dir/modus.js" node "$build_dir/run.js" "$@"
