#!/bin/bash
# Hook round trip: from starting bin/tollgate-hook (as Claude Code does, one process per tool
# call) to its answer from a live sidecar, over curl and over the /dev/tcp fallback.
#
#   sidecar/bench/hook-roundtrip.sh --bundle FILE [--principal NAME] [--runs N] [--port P]
#                                   [--jar sidecar/target/tollgate-sidecar.jar]
#
# Starts the shaded sidecar jar on 127.0.0.1:PORT, waits for /readyz, warms it up, times N
# allowed PreToolUse calls per transport and prints p50 / p99 / max in milliseconds. The
# sidecar is stopped by its PID on exit. The input is a Read of /workspace/README.md: with the
# examples' agents/repo-coder bundle and --principal alice it is allowed (checked on every run).
set -u

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
jar=$root/sidecar/target/tollgate-sidecar.jar
hook=$root/bin/tollgate-hook
bundle=
principal=
runs=200
warmup=50
port=19440

while (($#)); do
  case $1 in
    --bundle) bundle=$2; shift 2 ;;
    --principal) principal=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --port) port=$2; shift 2 ;;
    --jar) jar=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 64 ;;
  esac
done
[[ -n $bundle && -f $bundle ]] || { echo "--bundle FILE is required (tollgate bundle -f examples/ --identity agents/repo-coder -o FILE)" >&2; exit 64; }
[[ -f $jar ]] || { echo "no sidecar jar at $jar (mvn -pl sidecar -am package)" >&2; exit 64; }

work=$(mktemp -d)
sidecar_pid=
cleanup() {
  [[ -n $sidecar_pid ]] && kill "$sidecar_pid" 2>/dev/null && wait "$sidecar_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

args=(--bundle "$bundle" --listen "127.0.0.1:$port" --events off)
[[ -n $principal ]] && args+=(--principal "$principal")
java -jar "$jar" "${args[@]}" >"$work/audit.jsonl" 2>"$work/sidecar.log" &
sidecar_pid=$!

export TOLLGATE_URL=http://127.0.0.1:$port
for ((i = 0; i < 300; i++)); do
  if curl -q -sf --noproxy '*' "$TOLLGATE_URL/readyz" >/dev/null 2>&1; then
    break
  fi
  kill -0 "$sidecar_pid" 2>/dev/null || { echo "sidecar exited:" >&2; cat "$work/sidecar.log" >&2; exit 1; }
  sleep 0.1
done
((i < 300)) || { echo "sidecar not ready after 30s" >&2; cat "$work/sidecar.log" >&2; exit 1; }

input=$work/input.json
printf '%s' '{"session_id":"bench","transcript_path":"/tmp/bench.jsonl","cwd":"/workspace","permission_mode":"default","hook_event_name":"PreToolUse","tool_name":"Read","tool_input":{"file_path":"/workspace/README.md"},"tool_use_id":"toolu_bench","prompt_id":"p","effort":{"level":"medium"}}' >"$input"

# A PATH with bash alone: the hook finds no curl and takes the /dev/tcp fallback.
mkdir "$work/nocurl"
ln -s "$(command -v bash)" "$work/nocurl/bash"
bash_bin=$(command -v bash)

# Microseconds. EPOCHREALTIME (bash 5) costs no process: `date +%s%N` around each run would add
# a date process start (1-2 ms here) to every sample.
now() {
  if [[ -n ${EPOCHREALTIME-} ]]; then
    REPLY=${EPOCHREALTIME/./}
  else
    REPLY=$(($(date +%s%N) / 1000))
  fi
}

# $1 label, $2 PATH for the hook; prints p50 / p99 / max over $runs timed runs.
measure() {
  local label=$1 path=$2 i start answer samples=()
  for ((i = 0; i < warmup + runs; i++)); do
    now; start=$REPLY
    answer=$(PATH=$path "$bash_bin" "$hook" <"$input")
    now
    if [[ $answer != *'"permissionDecision":"allow"'* ]]; then
      echo "$label: unexpected answer on run $i: $answer" >&2
      exit 1
    fi
    ((i >= warmup)) && samples+=($((REPLY - start)))
  done
  report "$label" "${samples[@]}"
}

report() {
  local label=$1 sorted n p50 p99
  shift
  mapfile -t sorted < <(printf '%s\n' "$@" | sort -n)
  n=${#sorted[@]}
  p50=${sorted[$(((n * 50 + 99) / 100 - 1))]}
  p99=${sorted[$(((n * 99 + 99) / 100 - 1))]}
  printf '%-34s n=%d  p50 %6.2f ms  p99 %6.2f ms  max %6.2f ms\n' "$label" "$n" \
    "$(fmt "$p50")" "$(fmt "$p99")" "$(fmt "${sorted[n - 1]}")"
}
fmt() { printf '%d.%03d' $(($1 / 1000)) $(($1 % 1000)); }

# The floor: starting a bash that does nothing, the same way.
baseline() {
  local i start samples=()
  for ((i = 0; i < runs; i++)); do
    now; start=$REPLY
    "$bash_bin" -c : <"$input"
    now
    samples+=($((REPLY - start)))
  done
  report "baseline: bash -c : (process start)" "${samples[@]}"
}

echo "sidecar pid $sidecar_pid on $TOLLGATE_URL; $runs runs per transport after $warmup warm-up runs; $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
baseline
if command -v curl >/dev/null 2>&1; then
  measure "tollgate-hook via curl" "$PATH"
fi
measure "tollgate-hook via /dev/tcp" "$work/nocurl"
