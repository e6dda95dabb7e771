#!/usr/bin/env bash
# Benchmark (not a test): the latency the sidecar's MCP gateway adds to a tools/call round trip,
# against calling the upstream directly. The upstream is the integration tests' server
# (official MCP TypeScript SDK, stateless Streamable HTTP, JSON answers); the sidecar runs from
# its jar with sidecar/jvm.options, audit to /dev/null. See sidecar/bench/README.md.
#
# Builds nothing: expects sidecar/target/tollgate-sidecar.jar and cli/target/tollgate.jar
# (mvn -B -q -pl cli,sidecar -am package -DskipTests). Installs the SDK with npm ci from
# sidecar/src/test/mcp into sidecar/target/mcp-bench.
#
# Settings (environment): ROUNDS (default 5000), WARMUP (default 5000), KEEP=1 keeps the work dir.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
SIDECAR_JAR="${SIDECAR_JAR:-$ROOT/sidecar/target/tollgate-sidecar.jar}"
CLI_JAR="${CLI_JAR:-$ROOT/cli/target/tollgate.jar}"
ROUNDS="${ROUNDS:-5000}"
WARMUP="${WARMUP:-5000}"
for jar in "$SIDECAR_JAR" "$CLI_JAR"; do
  [ -f "$jar" ] || { echo "missing $jar: mvn -B -q -pl cli,sidecar -am package -DskipTests" >&2; exit 1; }
done

NODE_DIR="$ROOT/sidecar/target/mcp-bench"
mkdir -p "$NODE_DIR"
cp "$ROOT/sidecar/src/test/mcp/"{package.json,package-lock.json,server.mjs} "$NODE_DIR/"
if ! cmp -s "$NODE_DIR/package-lock.json" "$NODE_DIR/node_modules/.tollgate-lock" 2>/dev/null; then
  (cd "$NODE_DIR" && npm ci --no-audit --no-fund --prefer-offline >/dev/null)
  cp "$NODE_DIR/package-lock.json" "$NODE_DIR/node_modules/.tollgate-lock"
fi

WORK="$(mktemp -d)"
UPSTREAM_PID=""
SIDECAR_PID=""
cleanup() {
  [ -n "$SIDECAR_PID" ] && kill "$SIDECAR_PID" 2>/dev/null && wait "$SIDECAR_PID" 2>/dev/null || true
  [ -n "$UPSTREAM_PID" ] && kill "$UPSTREAM_PID" 2>/dev/null && wait "$UPSTREAM_PID" 2>/dev/null || true
  [ "${KEEP:-0}" = 1 ] && echo "kept $WORK" || rm -rf "$WORK"
}
trap cleanup EXIT

# The upstream demands the same token the sidecar adds (the direct client sends it itself).
(cd "$NODE_DIR" && exec node server.mjs --log /dev/null --token bench-upstream-token --stateless --json --page-size 10) \
  > "$WORK/upstream.out" 2> "$WORK/upstream.err" &
UPSTREAM_PID=$!
for _ in $(seq 100); do [ -s "$WORK/upstream.out" ] && break; sleep 0.05; done
UPSTREAM_PORT="$(sed -n 's/.*"port":\([0-9]*\).*/\1/p' "$WORK/upstream.out")"
[ -n "$UPSTREAM_PORT" ] || { echo "upstream did not start: $(cat "$WORK/upstream.err")" >&2; exit 1; }

cat > "$WORK/policies.yaml" <<YAML
apiVersion: tollgate.dev/v1alpha1
kind: AgentIdentity
metadata: {name: coder, namespace: bench}
spec: {serviceAccountName: coder, toolScopes: [{name: mcp}]}
---
apiVersion: tollgate.dev/v1alpha1
kind: ToolScope
metadata: {name: mcp, namespace: bench}
spec:
  mcpServers:
    - {name: gh, url: "http://127.0.0.1:$UPSTREAM_PORT/mcp", tools: ["*"], credentialsSecretRef: {name: gh, key: token}}
---
apiVersion: tollgate.dev/v1alpha1
kind: ToolPolicy
metadata: {name: mcp, namespace: bench}
spec:
  agents: {names: [coder]}
  rules:
    - {name: reads, tools: ["mcp__gh__*"], effect: Allow,
       when: "has(resource.annotations.readOnlyHint) && resource.annotations.readOnlyHint"}
    - {name: no-etc, tools: ["mcp__gh__read_file"], effect: Deny, when: "args.path.startsWith('/etc/')"}
YAML
java -jar "$CLI_JAR" bundle -f "$WORK/policies.yaml" --identity bench/coder -o "$WORK/bundle.json"
mkdir -p "$WORK/credentials/gh"
printf 'bench-upstream-token\n' > "$WORK/credentials/gh/token"

PORT="$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
mapfile -t SIDECAR_COMMAND < <("$ROOT/bin/sidecar-jvm")
"${SIDECAR_COMMAND[@]}" -jar "$SIDECAR_JAR" --bundle "$WORK/bundle.json" \
  --listen "127.0.0.1:$PORT" --events off --mcp-credentials-dir "$WORK/credentials" > /dev/null 2> "$WORK/sidecar.err" &
SIDECAR_PID=$!
for _ in $(seq 200); do
  curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && break
  sleep 0.05
done
node "$HERE/mcp-roundtrip.mjs" "http://127.0.0.1:$UPSTREAM_PORT/mcp" "http://127.0.0.1:$PORT/mcp/gh" "$ROUNDS" "$WARMUP"
