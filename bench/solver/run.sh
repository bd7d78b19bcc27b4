#!/usr/bin/env bash
# Solver benchmark: our pipeline (in-process) against SWI-Prolog 9 on the same generated programs.
# Usage: bench/solver/run.sh [--reps N] [--only openjdk-40,reach-1000] [--dir DIR] [--json FILE]
# Extra Node flags via NODE_FLAGS, e.g. NODE_FLAGS="--cpu-prof --cpu-prof-dir=/tmp/prof".
set -euo pipefail
cd "$(dirname "$0")/../.."
build_dir=$(mktemp -d)
trap 'rm -rf "$build_dir"' EXIT
npx esbuild bench/solver/run.ts --bundle --platform=node --target=node20 \
  --outfile="$build_dir/run.js" --log-level=warning
# shellcheck disable=SC2086
node --expose-gc ${NODE_FLAGS:-} "$build_dir/run.js" "$@"
