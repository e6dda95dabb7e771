#!/usr/bin/env bash
# Clone and push of a 5,000-commit, ~50 MB repository through the sidecar's git gateway against
# the same done directly, and the sidecar's memory peak meanwhile (GitGatewayBench; the upstream is
# git's own http-backend behind an authenticating server on loopback).
#
#   sidecar/bench/git-gateway.sh        (builds the sidecar jar and its test classes first)
#
# -Dcommits=N -DblobBytes=N -DpushCommits=N (as JAVA_OPTS) change the repository's size.
set -euo pipefail
cd "$(dirname "$0")/../.."

classpath=sidecar/target/test-classpath.txt
mvn -B -q -o -pl sidecar -am package -DskipTests dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$PWD/$classpath" >/dev/null
# shellcheck disable=SC2086
exec java ${JAVA_OPTS:-} -cp "sidecar/target/test-classes:sidecar/target/classes:$(cat "$classpath")" \
  dev.tollgate.sidecar.gate.git.GitGatewayBench "$PWD"
