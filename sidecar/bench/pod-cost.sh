#!/usr/bin/env bash
# What one decision point costs beside an agent pod, measured on the sidecar image itself (its
# Java 25 runtime, its AOT cache, sidecar/jvm.options), run from the image's root file system
# (chroot, its own mount and PID namespaces, the uid the webhook gives it) on loopback. Not a
# test: the figures depend on the machine. README.md "Cost per agent pod" has them.
#
#   sudo sidecar/bench/pod-cost.sh
#
# Measures (sidecar/bench/pod_cost.py):
#   start     process start to /readyz 200, median of STARTS starts
#   idle      VmRSS, RssAnon and PSS 10 s after start; PSS with SHARED sidecars running side by
#             side, as on a node (the runtime's and the AOT cache's pages are shared between them)
#   session   SESSION_SECONDS (default 300) at 2 calls/s: Claude Code, Codex and Gemini CLI hook
#             calls (PreToolUse and PostToolUse, 7 of 10 allowed) and AuthZEN evaluations, audit to
#             a file, with TUNNELS (default 20) egress tunnels held open and echoing; VmHWM (peak
#             RSS) sampled every second, RSS and PSS at the end, hook latency p50/p99
#
# Needs: root (chroot, unshare), the sidecar image and the CLI (bin/images tollgate builds both:
# mvn -B -ntp package -DskipTests && bin/images tollgate), python3.
# Settings (environment): STARTS (5), SHARED (10), SESSION_SECONDS (300), TUNNELS (20), KEEP=1;
# for a before/after, HOST_JAVA=/path/to/java HOST_JAR=some/tollgate-sidecar.jar FLAGS=some/jvm.options
# run that jar with that java and those flags on the host instead of the image.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
IMAGE=${IMAGE:-$ROOT/sidecar/target/tollgate-sidecar-image.tar}
CLI_JAR=$ROOT/cli/target/tollgate.jar
die() { echo "pod-cost.sh: $*" >&2; exit 1; }
[[ $EUID -eq 0 ]] || die "run as root (chroot, unshare)"
[[ -f $IMAGE ]] || die "$IMAGE missing: mvn -B -ntp package -DskipTests && bin/images tollgate"
[[ -f $CLI_JAR ]] || die "$CLI_JAR missing: mvn -B -ntp package -DskipTests"

WORK=$(mktemp -d /tmp/tollgate-pod-cost.XXXXXX)
cleanup() {
  # The sidecars mount /dev and /proc in mount namespaces of their own; never delete through a
  # mount that leaked out.
  if grep -q " $WORK/" /proc/mounts; then echo "pod-cost.sh: $WORK has mounts, kept" >&2; return; fi
  if [[ ${KEEP:-0} == 1 ]]; then echo "kept $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

"$ROOT/bin/images" unpack "$IMAGE" "$WORK/rootfs"
ECHO_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')

# The examples' agents/repo-coder, with one egress destination moved to the loopback echo server
# the tunnels reach (and the rule that keeps loopback off limits dropped): the rest of its
# policies decide the hook calls as they would in a pod.
cp -r "$ROOT/examples" "$WORK/examples"
python3 - "$WORK/examples" "$ECHO_PORT" <<'PYEOF'
import pathlib, re, sys
root, port = pathlib.Path(sys.argv[1]), sys.argv[2]
scopes = root / "scopes.yaml"
text = scopes.read_text()
line = "    - {host: pypi.org, ports: [443]}\n"
assert line in text, "examples/scopes.yaml no longer lists pypi.org:443; update pod-cost.sh"
scopes.write_text(text.replace(line, "    - {host: 127.0.0.1, ports: [%s]}\n" % port))
egress = root / "policies" / "egress.yaml"
text = egress.read_text()
rule = re.compile(r"    - name: no-internal-addresses\n(      .*\n)+?(?=    - name:)")
assert rule.search(text), "policies/egress.yaml has no rule no-internal-addresses; update pod-cost.sh"
text = rule.sub("", text)
rule = re.compile(r"    - name: tls-only\n(      .*\n)+")
assert rule.search(text), "policies/egress.yaml has no rule tls-only; update pod-cost.sh"
egress.write_text(rule.sub("", text))
PYEOF
rm -rf "$WORK/examples/tests"
mkdir -p "$WORK/rootfs/bench"
java -jar "$CLI_JAR" bundle -f "$WORK/examples" --identity agents/repo-coder -o "$WORK/rootfs/bench/bundle.json" \
  || die "the CLI could not build the bundle"
chown -R 65100:65100 "$WORK/rootfs/bench"

python3 "$ROOT/sidecar/bench/pod_cost.py" --rootfs "$WORK/rootfs" --flags "${FLAGS:-$ROOT/sidecar/jvm.options}" \
  ${HOST_JAVA:+--host-java "$HOST_JAVA" --host-jar "$HOST_JAR"} \
  --echo-port "$ECHO_PORT" --starts "${STARTS:-5}" --shared "${SHARED:-10}" \
  --session-seconds "${SESSION_SECONDS:-300}" --tunnels "${TUNNELS:-20}"
