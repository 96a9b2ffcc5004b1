#!/usr/bin/env bash
# The test command (npm test): type-check, lint, then the tiers. Unit tests run first; then the
# time-skipping tier (with replay) and the dev-server integration tier run side by side, each in its own
# mocha process with its own Temporal server, because all spend most of their time waiting on timers,
# outages and downtimes the scenarios prescribe. The servers are built or fetched first when missing.
# With arguments, runs mocha on exactly those files instead.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/toolchain.sh
set -a
. .toolchain/paths.env
set +a

if [ $# -gt 0 ]; then
  exec npx mocha "$@"
fi

echo "[test] type-check" >&2
npx tsc --noEmit -p .
echo "[test] lint" >&2
npm run --silent lint
echo "[test] unit" >&2
npx mocha 'test/unit/**/*.test.ts'

echo "[test] workflows (time-skipping) + replay, and integration (dev server), in parallel" >&2
logs=.toolchain/test-logs
rm -rf "$logs" && mkdir -p "$logs"
tier() {
  local name=$1
  shift
  local start=$SECONDS
  if npx mocha "$@" >"$logs/$name.log" 2>&1; then echo 0 >"$logs/$name.rc"; else echo $? >"$logs/$name.rc"; fi
  echo "[test] $name tier finished in $((SECONDS - start))s" >&2
}
tier workflows 'test/workflows/**/*.test.ts' 'test/replay/**/*.test.ts' &
# The scenarios that wait out a two-minute outage (S7 plant worker down, S14 WAN cut at the edge) run in a
# third process of their own, so their waits overlap instead of adding up.
long=(test/integration/s7-*.test.ts test/integration/s14-*.test.ts)
tier integration 'test/integration/**/*.test.ts' "${long[@]/#/--ignore=}" &
tier outages "${long[@]}" &
wait

failed=0
for name in workflows integration outages; do
  echo "──────── $name tier ────────"
  cat "$logs/$name.log"
  [ "$(cat "$logs/$name.rc")" = 0 ] || failed=1
done
if [ "$failed" != 0 ]; then
  echo "[test] FAILED (logs in $logs)" >&2
  exit 1
fi
echo "[test] all tiers passed" >&2
