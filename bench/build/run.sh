#!/usr/bin/env bash
# Multi-image build benchmark: modus build vs transpiled Dockerfiles (parallel, sequential), and
# the cost of exporting N images. Needs dockerd, `npm run image` and the busybox test image.
# Usage: bench/build/run.sh [--runs N] [--concurrency J] [--versions 5] [--variants 4] [--json FILE] [--no-sequential] [--dockerfile-bake]
set -euo pipefail
cd "$(dirname "$0")/../.."
build_dir=$(mktemp -d)
trap 'rm -rf "$build_dir"' EXIT
npx esbuild frontend/cli/main.ts --bundle --platform=node --target=node20 --outfile="$build_dir/modus.js" --log-level=warning
printf "require('./modus.js').runCli();\n" > "$build_dir/modus"
npx esbuild bench/build/run.ts --bundle --platform=node --target=node20 --outfile="$build_dir/run.js" --log-level=warning
BENCH_MODUS="$build_dir/modus" node "$build_dir/run.js" "$@"
