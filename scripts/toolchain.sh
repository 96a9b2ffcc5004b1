#!/usr/bin/env bash
# Makes sure both Temporal servers exist (building or fetching what is missing) and writes their paths to
# .toolchain/paths.env for the tests and the dev stack launcher.
set -euo pipefail
cd "$(dirname "$0")/.."
cli="$(bash scripts/temporal-cli.sh)"
test_server="$(bash scripts/temporal-test-server.sh)"
mkdir -p .toolchain
printf 'TEMPORAL_CLI_PATH=%s\nTEMPORAL_TEST_SERVER_PATH=%s\n' "$cli" "$test_server" > .toolchain/paths.env
echo "[toolchain] ready: TEMPORAL_CLI_PATH=$cli TEMPORAL_TEST_SERVER_PATH=$test_server" >&2
