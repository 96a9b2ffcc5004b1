#!/usr/bin/env bash
# Fetches the Java time-skipping test server (io.temporal:temporal-test-server) and its dependencies from
# Maven Central, and writes a wrapper that the SDK can start as an 'existing-path' executable.
# Prints the wrapper's path on stdout. TEMPORAL_TEST_SERVER_PATH overrides the fetch entirely.
set -euo pipefail
. "$(dirname "$0")/toolchain-env.sh"

if [ -n "${TEMPORAL_TEST_SERVER_PATH:-}" ]; then
  [ -x "$TEMPORAL_TEST_SERVER_PATH" ] || die "TEMPORAL_TEST_SERVER_PATH=$TEMPORAL_TEST_SERVER_PATH is not an executable file"
  echo "$TEMPORAL_TEST_SERVER_PATH"; exit 0
fi
home="$(dirname "$TEMPORAL_TEST_SERVER_CACHED")"
if [ -x "$TEMPORAL_TEST_SERVER_CACHED" ] && [ -f "$home/lib/.complete" ] && [ -f "$home/classes/LoopbackTestServer.class" ]; then
  log "Temporal test server $TEMPORAL_TEST_SERVER_VERSION cached at $TEMPORAL_TEST_SERVER_CACHED"
  echo "$TEMPORAL_TEST_SERVER_CACHED"; exit 0
fi

command -v java >/dev/null 2>&1 || die "Java 11+ is needed to run the Temporal time-skipping test server. Install a JDK or set TEMPORAL_TEST_SERVER_PATH."
command -v mvn >/dev/null 2>&1 || die "Maven is needed to fetch io.temporal:temporal-test-server from Maven Central. Install Maven or set TEMPORAL_TEST_SERVER_PATH."

mkdir -p "$home"
rm -rf "$home/lib"
cat >"$home/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>plantflow</groupId><artifactId>temporal-test-server-fetch</artifactId><version>1</version>
  <dependencies>
    <dependency>
      <groupId>io.temporal</groupId><artifactId>temporal-test-server</artifactId>
      <version>$TEMPORAL_TEST_SERVER_VERSION</version>
    </dependency>
  </dependencies>
</project>
POM
log "fetching io.temporal:temporal-test-server:$TEMPORAL_TEST_SERVER_VERSION and its dependencies from Maven Central"
with_heartbeat "maven dependency:copy-dependencies" \
  mvn -B --no-transfer-progress -f "$home/pom.xml" \
    org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
    -DoutputDirectory="$home/lib" -DincludeScope=runtime >"$home/maven.log" 2>&1 \
  || { tail -20 "$home/maven.log" >&2; die "Maven could not fetch the test server (see $home/maven.log)"; }
log "$(ls "$home/lib" | wc -l) jars fetched"

command -v javac >/dev/null 2>&1 || die "javac (a JDK, not only a JRE) is needed to compile the loopback launcher."
mkdir -p "$home/classes"
javac -d "$home/classes" -cp "$home/lib/*" "$(dirname "$0")/java/LoopbackTestServer.java" \
  || die "could not compile scripts/java/LoopbackTestServer.java against the test server jars"

cat >"$TEMPORAL_TEST_SERVER_CACHED" <<WRAPPER
#!/bin/sh
# Starts the Temporal Java test server on 127.0.0.1: <port> [--enable-time-skipping]
exec java \${TEMPORAL_TEST_SERVER_JAVA_OPTS:--Xss1m -XX:+UseSerialGC -XX:TieredStopAtLevel=1} -cp "$home/classes:$home/lib/*" LoopbackTestServer "\$@"
WRAPPER
chmod +x "$TEMPORAL_TEST_SERVER_CACHED"
touch "$home/lib/.complete"
log "test server ready: $TEMPORAL_TEST_SERVER_CACHED"
echo "$TEMPORAL_TEST_SERVER_CACHED"
