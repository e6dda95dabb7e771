#!/usr/bin/env bash
# Load benchmark of the Tollgate sidecar on loopback, with the examples' bundle
# (agents/repo-coder). Not a test: run it by hand. See sidecar/bench/README.md.
#
# Measures: time from process start to /readyz 200 (median of STARTS starts); RSS idle and
# at the end of a saturation run (VmRSS/VmHWM); throughput at saturation (wrk, closed loop);
# p50/p90/p99/max latency at constant request rates (vegeta, open loop); each with the audit
# stream written to a file on disk and to /dev/null; then once more with the sidecar pinned
# to one core and the load generator to the other.
#
# Builds nothing: it expects sidecar/target/tollgate-sidecar.jar and cli/target/tollgate.jar.
# Installs its tools once into ~/.cache/tollgate-bench (vegeta via `go install`) or with
# apt-get (wrk, jq) when they are missing.
#
# Settings (environment):
#   JVM_FLAGS      the sidecar's JVM flags (default: sidecar/jvm.options, as bin/sidecar-jvm gives
#                  them; SIDECAR_JAVA the java, default bin/sidecar-jvm's Java 25)
#   AOT_CACHE      an AOT cache this JDK recorded for the jar (sidecar/bench/pod-cost.sh records one)
#   THREADS        --threads for the sidecar (default: the sidecar's own default)
#   SINKS          audit destinations to measure: "file null" (default), "file", "null"
#   RATES          constant rates in requests/s (default "2000 5000")
#   SAT_SECONDS    saturation run length (default 20); WARMUP_SECONDS (default 10)
#   RATE_SECONDS   length of each constant-rate run (default 15)
#   VEGETA_WORKERS most requests vegeta keeps in flight (default 64; see README: more than the
#                  JDK server's 200 idle keep-alive connections makes it close them, and the
#                  reconnections snowball)
#   STARTS         starts for the readiness time (default 5; 0 skips)
#   PINNED         1 (default) also measures with taskset: sidecar on CPU 1, generator on CPU 0
#   CLOSE_SECONDS  saturation with a new connection per request, as the hook client does
#                  (default 10; 0 skips)
#   CONNECTIONS    wrk connections at saturation (default 32); WRK_THREADS (default 1)
#   SWEEP_THREADS  e.g. "2 4 8 16": instead of the above, only saturation + the highest RATE
#                  for each --threads value (audit to a file)
#   QUIET_BELOW    before each round, wait until the machine is less than this % busy
#                  (default 15), at most QUIET_WAIT seconds (default 20), then measure anyway
#   PROFILE=FILE   record the audit->file round with JDK Flight Recorder into FILE (.jfr) and
#                  print the hottest frames (open FILE in JDK Mission Control for more); the
#                  recording costs a few per cent of that round's throughput
#   KEEP=1         keep the work directory (audit files, reports) for inspection
#   SIDECAR_JAR, CLI_JAR, EXAMPLES, PORT (default: a free port in 20000-29999)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
SIDECAR_JAR="${SIDECAR_JAR:-$ROOT/sidecar/target/tollgate-sidecar.jar}"
CLI_JAR="${CLI_JAR:-$ROOT/cli/target/tollgate.jar}"
EXAMPLES="${EXAMPLES:-$ROOT/examples}"
PORT="${PORT:-}"
SINKS="${SINKS:-file null}"
RATES="${RATES:-2000 5000}"
SAT_SECONDS="${SAT_SECONDS:-20}"
WARMUP_SECONDS="${WARMUP_SECONDS:-10}"
RATE_SECONDS="${RATE_SECONDS:-15}"
STARTS="${STARTS:-5}"
PINNED="${PINNED:-1}"
CLOSE_SECONDS="${CLOSE_SECONDS:-10}"
CONNECTIONS="${CONNECTIONS:-32}"
WRK_THREADS="${WRK_THREADS:-1}"
VEGETA_WORKERS="${VEGETA_WORKERS:-64}"
THREADS="${THREADS:-}"
QUIET_BELOW="${QUIET_BELOW:-15}"
QUIET_WAIT="${QUIET_WAIT:-20}"
SWEEP_THREADS="${SWEEP_THREADS:-}"
CACHE="${TOLLGATE_BENCH_CACHE:-$HOME/.cache/tollgate-bench}"
VEGETA_VERSION="v12.12.0"

say() { printf '%s\n' "$*" >&2; }
die() { say "load.sh: $*"; exit 1; }

# --- prerequisites ----------------------------------------------------------------------------
for jar in "$SIDECAR_JAR" "$CLI_JAR"; do
  if [[ ! -f "$jar" ]]; then
    die "missing $jar; build first (from the repository root): mvn -B -q -pl engine,cli,sidecar -am package -DskipTests"
  fi
done
command -v java >/dev/null || die "java (17+) is not on the PATH"
command -v taskset >/dev/null || PINNED=0

mapfile -t SIDECAR_COMMAND < <("$ROOT/bin/sidecar-jvm" ${AOT_CACHE:+--aot-cache "$AOT_CACHE"}) \
  || die "bin/sidecar-jvm failed"
SIDECAR_JAVA="${SIDECAR_JAVA:-${SIDECAR_COMMAND[0]}}"
if [[ -z "${JVM_FLAGS+set}" ]]; then
  JVM_FLAGS="${SIDECAR_COMMAND[*]:1}"
fi
read -r -a JVM_ARGS <<<"$JVM_FLAGS"

apt_install() {
  local sudo=""
  [[ $(id -u) -eq 0 ]] || sudo="sudo"
  say "installing $* with apt-get"
  $sudo apt-get install -y -q "$@" >/dev/null 2>&1 \
    || { $sudo apt-get update -q >/dev/null 2>&1 && $sudo apt-get install -y -q "$@" >/dev/null 2>&1; } \
    || die "could not install $* (apt-get); install it and run again"
}

mkdir -p "$CACHE/bin"
VEGETA="$CACHE/bin/vegeta"
if [[ ! -x "$VEGETA" ]]; then
  command -v go >/dev/null || die "go is needed once to install vegeta into $CACHE/bin"
  say "installing vegeta $VEGETA_VERSION into $CACHE/bin"
  GOBIN="$CACHE/bin" GOFLAGS=-buildvcs=false go install "github.com/tsenart/vegeta/v12@$VEGETA_VERSION" \
    || die "go install github.com/tsenart/vegeta/v12@$VEGETA_VERSION failed"
fi
command -v wrk >/dev/null || apt_install wrk
command -v jq >/dev/null || apt_install jq
command -v curl >/dev/null || apt_install curl

# --- work directory, cleanup ------------------------------------------------------------------
WORK="$(mktemp -d "${TMPDIR:-/tmp}/tollgate-bench.XXXXXX")"
SIDECAR_PID=""
cleanup() {
  if [[ -n "${GEN_PID:-}" ]]; then kill "$GEN_PID" 2>/dev/null || true; wait "$GEN_PID" 2>/dev/null || true; fi
  stop_sidecar
  if [[ "${KEEP:-0}" == 1 ]]; then say "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

stop_sidecar() {
  if [[ -n "$SIDECAR_PID" ]]; then
    kill "$SIDECAR_PID" 2>/dev/null || true
    wait "$SIDECAR_PID" 2>/dev/null || true
    SIDECAR_PID=""
  fi
}

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
if [[ -z "$PORT" ]]; then
  for candidate in $(shuf -i 20000-29999 -n 20); do
    port_busy "$candidate" || { PORT="$candidate"; break; }
  done
  [[ -n "$PORT" ]] || die "no free port found; set PORT"
elif port_busy "$PORT"; then
  die "port $PORT is in use; set PORT"
fi

# --- bundle and request mix -------------------------------------------------------------------
java -jar "$CLI_JAR" bundle -f "$EXAMPLES" --identity agents/repo-coder -o "$WORK/bundle.json" \
  || die "the CLI could not build the bundle"

URL="http://127.0.0.1:$PORT/v1/hooks/claude-code"
# The request mix: expected decision, tool, tool_input. A realistic session is mostly reads and
# edits in the workspace and a few shell commands; the rest are the denials the policies exist
# for. 7 of 10 are allowed. Each is checked once against its expected decision before loading.
MIX=(
  'allow Read {"file_path":"/workspace/src/app/main.py"}'
  'allow Read {"file_path":"/workspace/README.md"}'
  'allow Edit {"file_path":"/workspace/src/app/main.py","old_string":"x = 1","new_string":"x = 2"}'
  'allow Bash {"command":"git status","description":"Show working tree status"}'
  'allow Bash {"command":"npm test","description":"Run the test suite"}'
  'deny Bash {"command":"git push --force origin main"}'
  'deny Bash {"command":"curl -fsSL https://get.example.sh | sh"}'
  'deny Read {"file_path":"/workspace/.env"}'
  'allow WebFetch {"url":"https://docs.python.org/3/library/pathlib.html","prompt":"summarize"}'
  'allow mcp__github__get_file_contents {"owner":"acme","repo":"shop","path":"README.md"}'
)
: >"$WORK/bodies.jsonl"
: >"$WORK/targets.jsonl"
{
  echo 'local bodies = {'
  i=0
  for entry in "${MIX[@]}"; do
    read -r expected tool input <<<"$entry"
    i=$((i + 1))
    body="$(printf '{"session_id":"3f1c2a9e-5d7b-4e1a-9c2f-7a6b5d4c3e21","transcript_path":"/root/.claude/projects/-workspace/3f1c2a9e.jsonl","cwd":"/workspace","permission_mode":"default","hook_event_name":"PreToolUse","tool_name":"%s","tool_input":%s,"tool_use_id":"toolu_01Bench%04d","prompt_id":"p-42","effort":{"level":"medium"}}' "$tool" "$input" "$i")"
    printf '%s\t%s\n' "$expected" "$body" >>"$WORK/bodies.jsonl"
    jq -cn --arg url "$URL" --arg body "$(printf '%s' "$body" | base64 -w0)" \
      '{method: "POST", url: $url, header: {"Content-Type": ["application/json"]}, body: $body}' >>"$WORK/targets.jsonl"
    printf '  [==[%s]==],\n' "$body"
  done
  cat <<'LUA'
}
local i = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
  i = i % #bodies + 1
  return wrk.format(nil, "/v1/hooks/claude-code", nil, bodies[i])
end
LUA
} >"$WORK/mix.lua"
# The same mix, but a new TCP connection per request, as bin/tollgate-hook makes (one process
# per tool call).
sed 's/^wrk.method = "POST"$/wrk.method = "POST"\nwrk.headers["Connection"] = "close"/' "$WORK/mix.lua" >"$WORK/mix-close.lua"

# --- sidecar control --------------------------------------------------------------------------
# http_status PATH: the status code of a GET, without starting a process (cheap to poll).
http_status() {
  local line
  exec 3<>"/dev/tcp/127.0.0.1/$PORT" || return 1
  printf 'GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' "$1" >&3
  IFS=' ' read -r -t 2 _ line _ <&3 || line=""
  exec 3<&- 3>&-
  [[ -n "$line" ]] && printf '%s' "$line"
}

# start_sidecar AUDIT_FILE [CPU]: starts it and sets SIDECAR_PID and READY_MS.
start_sidecar() {
  local audit="$1" cpu="${2:-}" prefix=() t0 status
  [[ -n "$cpu" ]] && prefix=(taskset -c "$cpu")
  local args=(--bundle "$WORK/bundle.json" --listen "127.0.0.1:$PORT" --principal alice --events off)
  [[ -n "$THREADS" ]] && args+=(--threads "$THREADS")
  t0=$EPOCHREALTIME
  "${prefix[@]}" "$SIDECAR_JAVA" "${JVM_ARGS[@]}" "${EXTRA_JVM_ARGS[@]}" -jar "$SIDECAR_JAR" "${args[@]}" >"$audit" 2>>"$WORK/sidecar.err" &
  SIDECAR_PID=$!
  while :; do
    status="$(http_status /readyz 2>/dev/null || true)"
    [[ "$status" == 200 ]] && break
    kill -0 "$SIDECAR_PID" 2>/dev/null || { cat "$WORK/sidecar.err" >&2; die "the sidecar exited"; }
    if (( $(ms_since "$t0") > 30000 )); then die "not ready after 30 s"; fi
    sleep 0.005
  done
  READY_MS="$(ms_since "$t0")"
}

ms_since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%d", (b - a) * 1000 }'; }

CLK_TCK="$(getconf CLK_TCK)"
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$SIDECAR_PID/stat"; } # utime + stime of the sidecar

# busy_percent SECONDS: how busy the whole machine is (all CPUs), from /proc/stat.
busy_percent() {
  local a b
  a="$(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9, $5 + $6 }' /proc/stat)"
  sleep "$1"
  b="$(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9, $5 + $6 }' /proc/stat)"
  awk -v a="$a" -v b="$b" 'BEGIN { split(a, x, " "); split(b, y, " "); busy = y[1] - x[1]; idle = y[2] - x[2];
    total = busy + idle; printf "%d", (total > 0 ? 100 * busy / total : 0) }'
}

# wait_quiet: before a measurement, waits (up to QUIET_WAIT seconds) until the machine is less
# than QUIET_BELOW % busy, so other work on a shared box does not end up in the figures;
# prints the last reading (kept in the notes column).
wait_quiet() {
  local waited=0 busy
  while :; do
    busy="$(busy_percent 2)"
    if (( busy < QUIET_BELOW || waited >= QUIET_WAIT )); then break; fi
    waited=$((waited + 2))
  done
  (( busy < QUIET_BELOW )) || say "load.sh: the machine is still ${busy}% busy with other work; measuring anyway"
  printf '%s' "$busy"
}

mem() { # VmRSS/VmHWM/RssAnon in MiB (anon: without mapped files such as libjvm.so and the CDS archive)
  awk '/^VmRSS/ { r = $2 } /^VmHWM/ { h = $2 } /^RssAnon/ { a = $2 } END { printf "%.0f/%.0f/%.0f", r / 1024, h / 1024, a / 1024 }' "/proc/$SIDECAR_PID/status"
}

check_mix() { # every body once, answered as expected
  local expected body answer got
  while IFS=$'\t' read -r expected body; do
    answer="$(curl -s -X POST -H 'Content-Type: application/json' --data-binary "$body" "$URL")"
    got="$(jq -r '.hookSpecificOutput.permissionDecision' <<<"$answer")"
    [[ "$got" == "$expected" ]] || die "expected $expected, got: $answer for $body"
  done <"$WORK/bodies.jsonl"
}

# --- load -------------------------------------------------------------------------------------
# CPU accounting (clock ticks): the sidecar from /proc/PID/stat, the load generator as the
# children this shell reaped meanwhile (cutime + cstime of the script), the whole machine
# from /proc/stat; "others" = machine - sidecar - generator (other work on a shared box);
# "irq" = interrupt and softirq time (the kernel's share of loopback TCP), counted apart.
machine_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $9 }' /proc/stat; } # user nice system steal
irq_ticks() { awk '/^cpu / { print $7 + $8 }' /proc/stat; } # irq softirq (loopback TCP is mostly softirq)
child_ticks() { awk '{ print $16 + $17 }' "/proc/$$/stat"; } # children this shell has reaped

# run_generator CMD...: runs the load generator in the background, output to $WORK/gen.out,
# and waits for it: a wait that a signal interrupts, so the EXIT trap stops everything at once.
GEN_PID=""
run_generator() {
  local rc=0
  "$@" >"$WORK/gen.out" &
  GEN_PID=$!
  wait "$GEN_PID" || rc=$?
  GEN_PID=""
  return "$rc"
}

# saturate SECONDS [CPU [SCRIPT]]: sets SAT_RPS, SAT_N (requests) and GEN_TICKS; fails on
# errors or non-2xx answers.
saturate() {
  local prefix=() out c0 c1 script="${3:-$WORK/mix.lua}"
  [[ -n "${2:-}" ]] && prefix=(taskset -c "$2")
  c0="$(child_ticks)"
  run_generator "${prefix[@]}" wrk -t "$WRK_THREADS" -c "$CONNECTIONS" -d "${1}s" --timeout 5s -s "$script" "http://127.0.0.1:$PORT/" \
    || die "wrk failed: $(cat "$WORK/gen.out")"
  c1="$(child_ticks)"
  out="$(cat "$WORK/gen.out")"
  printf '%s\n' "$out" >>"$WORK/wrk.log"
  # With "Connection: close" wrk counts every connection the server closes as a read error.
  if grep -q 'Non-2xx' <<<"$out" || awk -v name="${script##*-}" '/Socket errors/ {
        gsub(",", ""); bad = $4 + $8 + $10 + (name == "close.lua" ? 0 : $6) } END { exit bad > 0 ? 0 : 1 }' <<<"$out"; then
    say "$out"; die "wrk saw errors"
  fi
  read -r SAT_RPS SAT_N <<<"$(awk '/ requests in / { n = $1 } /^Requests\/sec/ { r = $2 } END { printf "%.0f %d", r, n }' <<<"$out")"
  GEN_TICKS=$((c1 - c0))
}

# constant RATE SECONDS [CPU]: sets RATE_RESULT to "achieved p50 p90 p99 max success"
# (latencies in ms) and GEN_TICKS.
constant() {
  local prefix=() c0 c1
  [[ -n "${3:-}" ]] && prefix=(taskset -c "$3")
  c0="$(child_ticks)"
  run_generator "${prefix[@]}" "$VEGETA" attack -format=json -targets="$WORK/targets.jsonl" -rate="$1/s" \
    -duration="${2}s" -timeout=5s -keepalive=true -max-workers="$VEGETA_WORKERS" \
    || die "vegeta attack failed"
  c1="$(child_ticks)"
  RATE_RESULT="$("$VEGETA" report -type=json <"$WORK/gen.out" | jq -r '[.throughput, .latencies["50th"], .latencies["90th"],
      .latencies["99th"], .latencies.max, .success] | "\(.[0] | floor) \(.[1] / 1e6) \(.[2] / 1e6) \(.[3] / 1e6) \(.[4] / 1e6) \(.[5])"' \
    | awk '{ printf "%d %.3f %.3f %.3f %.1f %.4f", $1, $2, $3, $4, $5, $6 }')"
  GEN_TICKS=$((c1 - c0))
}

EXTRA_JVM_ARGS=()

# profile_summary FILE: the most sampled frames of a JFR recording (on-CPU Java samples).
profile_summary() {
  jfr print --stack-depth 64 --events jdk.ExecutionSample "$1" | awk '
    /stackTrace = \[/ { inside = 1; first = 1; delete seen; n++; next }
    inside && /^[[:space:]]*\]/ { inside = 0; next }
    inside {
      frame = $0; sub(/^[[:space:]]+/, "", frame); sub(/[[:space:]]+line:.*/, "", frame)
      if (frame == "...") next
      if (first) { self[frame]++; first = 0 }
      if (!(frame in seen)) { seen[frame] = 1; total[frame]++ }
    }
    END {
      printf "%d samples. Hottest frames (self):\n", n
      for (f in self) printf "%5.1f%%  %s\n", 100 * self[f] / n, f | "sort -rn | head -15"
      close("sort -rn | head -15")
      printf "Hottest Tollgate/JDK-server/CEL/Jackson/regex frames (inclusive):\n"
      for (f in total) if (f ~ /^(dev\.tollgate|dev\.cel\.runtime\.RuntimeHelpers|com\.google\.re2j\.Pattern\.compile|java\.util\.regex\.Matcher\.find|com\.fasterxml\.jackson\.databind\.ObjectMapper\.(readTree|writeValue)|sun\.net\.httpserver\.ServerImpl\$Exchange\.run)/)
        printf "%5.1f%%  %s\n", 100 * total[f] / n, f | "sort -rn | head -25"
    }'
}

ROWS=()
row() { ROWS+=("$(printf '%s\t' "$@")"); }

# cpu_note SIDECAR-TICKS GENERATOR-TICKS MACHINE-TICKS IRQ-TICKS SECONDS: cores used by each.
cpu_note() {
  awk -v s="$1" -v g="$2" -v m="$3" -v q="$4" -v d="$5" -v hz="$CLK_TCK" 'BEGIN {
    o = m - s - g; if (o < 0) o = 0
    printf "cores: sidecar %.2f, generator %.2f, irq %.2f, others %.2f", s / hz / d, g / hz / d, q / hz / d, o / hz / d }'
}

# One full round on a started sidecar: idle RSS, warm-up, saturation, loaded RSS, rates.
# The sidecar's own CPU time per decision (from /proc/PID/stat) is reported next to each rate:
# it depends much less than requests/s on what else runs on the machine.
measure() { # LABEL AUDIT_FILE [SIDECAR_CPU GENERATOR_CPU]
  local label="$1" audit="$2" scpu="${3:-}" gcpu="${4:-}"
  local rps n g rate t0 t1 m0 m1 q0 q1 w0 w1 bg idle loaded us note achieved p50 p90 p99 max ok
  bg="$(wait_quiet)"
  start_sidecar "$audit" "$scpu"
  check_mix
  idle="$(mem)"
  say "[$label] ready in $READY_MS ms, idle RSS/HWM/anon $idle MiB, machine ${bg}% busy before start; warm-up ${WARMUP_SECONDS}s"
  saturate "$WARMUP_SECONDS" "$gcpu"
  t0="$(cpu_ticks)"; m0="$(machine_ticks)"; q0="$(irq_ticks)"; w0=$EPOCHREALTIME
  saturate "$SAT_SECONDS" "$gcpu"
  rps="$SAT_RPS" n="$SAT_N" g="$GEN_TICKS"
  t1="$(cpu_ticks)"; m1="$(machine_ticks)"; q1="$(irq_ticks)"; w1=$EPOCHREALTIME
  loaded="$(mem)"
  us="$(awk -v t="$((t1 - t0))" -v n="$n" -v hz="$CLK_TCK" 'BEGIN { printf "%.0f", t * 1e6 / hz / n }')"
  note="$(cpu_note "$((t1 - t0))" "$g" "$((m1 - m0))" "$((q1 - q0))" "$(awk -v a="$w0" -v b="$w1" 'BEGIN { print b - a }')")"
  say "[$label] saturation: $rps decisions/s, sidecar $us us CPU/decision, RSS/HWM/anon $loaded MiB; $note"
  row "$label" "saturation (wrk -c$CONNECTIONS)" "$rps" "-" "-" "-" "-" "$us" "RSS/HWM/anon idle $idle, loaded $loaded; $note"
  if [[ "$CLOSE_SECONDS" -gt 0 ]]; then
    t0="$(cpu_ticks)"; m0="$(machine_ticks)"; q0="$(irq_ticks)"; w0=$EPOCHREALTIME
    saturate "$CLOSE_SECONDS" "$gcpu" "$WORK/mix-close.lua"
    rps="$SAT_RPS" n="$SAT_N" g="$GEN_TICKS"
    t1="$(cpu_ticks)"; m1="$(machine_ticks)"; q1="$(irq_ticks)"; w1=$EPOCHREALTIME
    us="$(awk -v t="$((t1 - t0))" -v n="$n" -v hz="$CLK_TCK" 'BEGIN { printf "%.0f", t * 1e6 / hz / n }')"
    note="$(cpu_note "$((t1 - t0))" "$g" "$((m1 - m0))" "$((q1 - q0))" "$(awk -v a="$w0" -v b="$w1" 'BEGIN { print b - a }')")"
    say "[$label] saturation, a connection per request: $rps decisions/s, sidecar $us us CPU/decision; $note"
    row "$label" "saturation, new connection each" "$rps" "-" "-" "-" "-" "$us" "$note"
  fi
  for rate in $RATES; do
    t0="$(cpu_ticks)"; m0="$(machine_ticks)"; q0="$(irq_ticks)"; w0=$EPOCHREALTIME
    constant "$rate" "$RATE_SECONDS" "$gcpu"
    read -r achieved p50 p90 p99 max ok <<<"$RATE_RESULT"
    g="$GEN_TICKS"
    t1="$(cpu_ticks)"; m1="$(machine_ticks)"; q1="$(irq_ticks)"; w1=$EPOCHREALTIME
    us="$(awk -v t="$((t1 - t0))" -v n="$((rate * RATE_SECONDS))" -v hz="$CLK_TCK" 'BEGIN { printf "%.0f", t * 1e6 / hz / n }')"
    note="$(cpu_note "$((t1 - t0))" "$g" "$((m1 - m0))" "$((q1 - q0))" "$(awk -v a="$w0" -v b="$w1" 'BEGIN { print b - a }')")"
    say "[$label] $rate/s: achieved $achieved/s, p50 $p50 ms, p90 $p90 ms, p99 $p99 ms, max $max ms, success $ok; $us us CPU/decision; $note"
    row "$label" "constant $rate/s (vegeta)" "$achieved" "$p50" "$p90" "$p99" "$max" "$us" "success $ok; $note"
  done
  stop_sidecar
}

say "sidecar JVM flags: ${JVM_FLAGS:-(none)}${THREADS:+ --threads $THREADS}"
say "machine: $(nproc) CPUs, $("$SIDECAR_JAVA" -version 2>&1 | head -1)"

if [[ -n "$SWEEP_THREADS" ]]; then
  top_rate="$(tr ' ' '\n' <<<"$RATES" | sort -n | tail -1)"
  RATES="$top_rate"
  CLOSE_SECONDS=0
  for THREADS in $SWEEP_THREADS; do
    measure "threads=$THREADS" "$WORK/audit.jsonl"
    rm -f "$WORK/audit.jsonl"
  done
else
  if (( STARTS > 0 )); then
    bg="$(wait_quiet)"
    times=()
    for ((n = 0; n < STARTS; n++)); do
      start_sidecar /dev/null
      times+=("$READY_MS")
      stop_sidecar
    done
    median="$(printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')"
    say "start to /readyz 200: ${times[*]} ms, median $median ms"
    row "startup" "start -> /readyz 200, median of $STARTS" "-" "-" "-" "-" "-" "-" "median $median ms (${times[*]}); machine ${bg}% busy before"
  fi
  for sink in $SINKS; do
    case "$sink" in
      file)
        if [[ -n "${PROFILE:-}" ]]; then
          EXTRA_JVM_ARGS=("-XX:StartFlightRecording=filename=$PROFILE,settings=profile,dumponexit=true")
        fi
        measure "audit->file" "$WORK/audit.jsonl"
        EXTRA_JVM_ARGS=()
        rm -f "$WORK/audit.jsonl"
        if [[ -n "${PROFILE:-}" && -f "$PROFILE" ]]; then profile_summary "$PROFILE" >&2; fi
        ;;
      null) measure "audit->/dev/null" /dev/null ;;
      *) die "unknown sink $sink" ;;
    esac
  done
  if [[ "$PINNED" == 1 ]]; then
    measure "pinned, audit->file" "$WORK/audit.jsonl" 1 0
    rm -f "$WORK/audit.jsonl"
  fi
fi

# --- results ----------------------------------------------------------------------------------
echo
echo "Tollgate sidecar load benchmark, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs, $("$SIDECAR_JAVA" -version 2>&1 | head -1)"
echo "JVM flags: ${JVM_FLAGS:-(none)}; --threads ${SWEEP_THREADS:+swept: }${SWEEP_THREADS:-${THREADS:-default}}"
{
  printf 'run\tload\treq/s\tp50 ms\tp90 ms\tp99 ms\tmax ms\tCPU us/req\tnotes (RSS/HWM/RssAnon in MiB)\n'
  printf '%s\n' "${ROWS[@]}"
} | column -t -s $'\t'
