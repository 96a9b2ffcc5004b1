#!/usr/bin/env bash
# Builds the Temporal CLI (dev server + Web UI + SQLite) from the Go module proxy and caches it.
# Prints the binary's path on stdout. TEMPORAL_CLI_PATH overrides the build entirely.
set -euo pipefail
. "$(dirname "$0")/toolchain-env.sh"

if [ -n "${TEMPORAL_CLI_PATH:-}" ]; then
  [ -x "$TEMPORAL_CLI_PATH" ] || die "TEMPORAL_CLI_PATH=$TEMPORAL_CLI_PATH is not an executable file"
  echo "$TEMPORAL_CLI_PATH"; exit 0
fi
if [ -x "$TEMPORAL_CLI_CACHED" ] && "$TEMPORAL_CLI_CACHED" --version >/dev/null 2>&1; then
  log "Temporal CLI $TEMPORAL_CLI_VERSION cached at $TEMPORAL_CLI_CACHED"
  echo "$TEMPORAL_CLI_CACHED"; exit 0
fi

command -v go >/dev/null 2>&1 || die "Go is needed to build the Temporal CLI (go install github.com/temporalio/cli/cmd/temporal@$TEMPORAL_CLI_VERSION).
Install Go 1.23+ or point TEMPORAL_CLI_PATH at an existing 'temporal' binary."

# v1.5.1 is the newest tag whose go.mod has no replace directive, which 'go install pkg@version' requires.
staging="$(dirname "$TEMPORAL_CLI_CACHED").partial"
rm -rf "$staging"; mkdir -p "$staging"
log "building Temporal CLI $TEMPORAL_CLI_VERSION with $(go version | cut -d' ' -f3) (first build takes several minutes on 2 cores)"
with_heartbeat "go install temporal@$TEMPORAL_CLI_VERSION" \
  env GOBIN="$staging" GOFLAGS="${GOFLAGS:-} -buildvcs=false" go install "github.com/temporalio/cli/cmd/temporal@$TEMPORAL_CLI_VERSION" \
  || die "go install of the Temporal CLI failed (is the Go module proxy reachable? GOPROXY=$(go env GOPROXY))"
mkdir -p "$(dirname "$TEMPORAL_CLI_CACHED")"
mv -f "$staging/temporal" "$TEMPORAL_CLI_CACHED"
rm -rf "$staging"
log "Temporal CLI ready: $("$TEMPORAL_CLI_CACHED" --version)"
echo "$TEMPORAL_CLI_CACHED"
