#!/usr/bin/env bash
# Builds the Temporal server (the production server, for PostgreSQL) and its SQL schema tool from the Go
# module proxy, the same way as the CLI, and caches both. Prints the folder holding `temporal-server` and
# `temporal-sql-tool`. Used by the bench's PostgreSQL runs (`npm run bench -- --server postgres`).
set -euo pipefail
. "$(dirname "$0")/toolchain-env.sh"

# The server release the CLI's dev server embeds (and docker-compose.yml runs); its go.mod has no replace.
TEMPORAL_SERVER_VERSION="${TEMPORAL_SERVER_VERSION:-v1.29.1}"
dir="$PLANTFLOW_CACHE_DIR/temporal-server/$TEMPORAL_SERVER_VERSION"
if [ -x "$dir/temporal-server" ] && [ -x "$dir/temporal-sql-tool" ] && "$dir/temporal-server" --version >/dev/null 2>&1; then
  log "Temporal server $TEMPORAL_SERVER_VERSION cached in $dir"
  echo "$dir"; exit 0
fi
command -v go >/dev/null 2>&1 || die "Go is needed to build the Temporal server (go install go.temporal.io/server/cmd/server@$TEMPORAL_SERVER_VERSION)"

staging="$dir.partial"
rm -rf "$staging"; mkdir -p "$staging"
log "building Temporal server $TEMPORAL_SERVER_VERSION and its SQL tool with $(go version | cut -d' ' -f3) (about 5 minutes on 2 cores)"
with_heartbeat "go install temporal server@$TEMPORAL_SERVER_VERSION" \
  env GOBIN="$staging" GOFLAGS="${GOFLAGS:-} -buildvcs=false" go install \
    "go.temporal.io/server/cmd/server@$TEMPORAL_SERVER_VERSION" \
    "go.temporal.io/server/cmd/tools/sql@$TEMPORAL_SERVER_VERSION" \
  || die "go install of the Temporal server failed (is the Go module proxy reachable? GOPROXY=$(go env GOPROXY))"
mkdir -p "$dir"
mv -f "$staging/server" "$dir/temporal-server"
mv -f "$staging/sql" "$dir/temporal-sql-tool"
rm -rf "$staging"
log "Temporal server ready: $("$dir/temporal-server" --version)"
echo "$dir"
