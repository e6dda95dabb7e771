#!/usr/bin/env bash
# What Tollgate adds to each tool call in a real Claude Code session: the hook client's wall time
# per call (PreToolUse, PostToolUse), the sidecar's decision latency, and the session's wall time
# with and without hooks. See SessionOverhead.java for what is measured how.
#
#   agent-tests/bench/session-overhead.sh [CALLS]              (default 60)
#   agent-tests/bench/session-overhead.sh gemini-cli [CALLS]   the same for Gemini CLI
#                                                              (GeminiSessionOverhead.java)
#
# Builds what it needs (sidecar jar, the pinned Claude Code via npm ci, the test classes) unless
# NO_BUILD=1.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [[ ${NO_BUILD:-0} != 1 ]]; then
  mvn -B -q -ntp -pl agent-tests -am verify -DskipTests \
    dependency:build-classpath -Dmdep.outputFile=target/test.classpath -Dmdep.includeScope=test
fi
root=$PWD
for needed in agent-tests/target/test.classpath agent-tests/target/test-classes sidecar/target/tollgate-sidecar.jar; do
  if [[ ! -e $needed ]]; then
    echo "session-overhead.sh: $needed is missing; run once without NO_BUILD=1 to build it" >&2
    exit 1
  fi
done
main=dev.tollgate.agenttests.bench.SessionOverhead
if [[ ${1:-} == gemini-cli ]]; then
  main=dev.tollgate.agenttests.bench.GeminiSessionOverhead
  shift
fi
exec java -Dtollgate.repoRoot="$root" \
  -Dtollgate.geminiCliRoot="$root/agent-tests/target" \
  -Dtollgate.geminiSystemDir="$root/agent-tests/target/gemini-cli-system" \
  -Dtollgate.sidecarJar="$root/sidecar/target/tollgate-sidecar.jar" \
  -Dtollgate.claudeCode="$root/agent-tests/target/claude-code/node_modules/@anthropic-ai/claude-code-linux-x64/claude" \
  -cp "agent-tests/target/test-classes:$(cat agent-tests/target/test.classpath)" \
  "$main" "$@"
