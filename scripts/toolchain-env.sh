# Shared settings for the Temporal toolchain scripts (sourced, not run).
# The cache lives outside the working tree so a fresh clone (what CI runs) reuses earlier builds.
PLANTFLOW_CACHE_DIR="${PLANTFLOW_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/plantflow}"
TEMPORAL_CLI_VERSION="${TEMPORAL_CLI_VERSION:-v1.5.1}"
TEMPORAL_TEST_SERVER_VERSION="${TEMPORAL_TEST_SERVER_VERSION:-1.38.0}"
TEMPORAL_CLI_CACHED="$PLANTFLOW_CACHE_DIR/temporal-cli/$TEMPORAL_CLI_VERSION/temporal"
TEMPORAL_TEST_SERVER_CACHED="$PLANTFLOW_CACHE_DIR/temporal-test-server/$TEMPORAL_TEST_SERVER_VERSION/temporal-test-server"

log() { printf '[toolchain] %s\n' "$*" >&2; }
die() { printf '[toolchain] ERROR: %s\n' "$*" >&2; exit 1; }

# Runs a long command while printing a heartbeat, so a multi-minute build never looks hung.
with_heartbeat() {
  local label="$1"; shift
  "$@" &
  local pid=$! start=$SECONDS
  while kill -0 "$pid" 2>/dev/null; do
    sleep 15
    kill -0 "$pid" 2>/dev/null && log "$label: still working ($((SECONDS - start))s)"
  done
  wait "$pid"
}
