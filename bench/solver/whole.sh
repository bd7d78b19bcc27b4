#!/usr/bin/env bash
# Whole-command benchmark: `modus proof --json` as a process against swipl, each less its own
# start-up, and the steady state of both, on 40,000/100,000-image matrices and 30,000/50,000-arc
# reachability. Usage: bench/solver/whole.sh [--reps N] [--only matrix-40000,reach-30000] [--dir DIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
npm run -s build
build_dir=$(mktemp -d)
trap 'rm -rf "$build_dir"' EXIT
npx esbuild bench/solver/whole.ts --bundle --platform=node --target=node20 \
  --outfile="$build_dir/whole.js" --log-level=warning
node --expose-gc "$build_dir/whole.js" "$@"
