#!/usr/bin/env bash
# The test command (npm test): type-check, lint, then every tier in one mocha run so the Temporal
# servers start once. The servers are built or fetched first when missing (with progress).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/toolchain.sh
set -a
. .toolchain/paths.env
set +a

echo "[test] type-check" >&2
npx tsc --noEmit -p .
echo "[test] lint" >&2
npx eslint --max-warnings 0 .
echo "[test] mocha: unit, workflows (time-skipping), integration (dev server), replay" >&2
if [ $# -gt 0 ]; then
  npx mocha "$@"
else
  npx mocha 'test/unit/**/*.test.ts' 'test/workflows/**/*.test.ts' 'test/integration/**/*.test.ts' 'test/replay/**/*.test.ts'
fi
