#!/usr/bin/env bash
# `npm test`: type check, dead-code and import-cycle check, bundle, then every jest test (unit and
# e2e). jest runs even when an earlier part fails, so its summary line is always printed; the exit
# status is non-zero when any part failed. Arguments go to jest (e.g. `npm test -- test/unit/grammar`).
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

failed=()
npx tsc -p . --noEmit || failed+=("type check (npx tsc -p . --noEmit)")
node scripts/check-code.mjs || failed+=("dead exports, unused files or import cycles (node scripts/check-code.mjs)")
node scripts/bundle.mjs || failed+=("bundle (npm run build)")
npx jest "$@" || failed+=("jest")

if ((${#failed[@]} > 0)); then
  printf 'npm test: FAILED: %s\n' "${failed[@]}" >&2
  exit 1
fi
