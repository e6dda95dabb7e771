#!/usr/bin/env bash
# The egress gate's throughput over a link like a pod's: the download source runs in a network
# namespace behind a veth pair whose far end is rate-limited (tc tbf, RATE, default 1gbit), and
# EgressBench downloads from it directly and through a tunnel of the real sidecar jar. On loopback
# (EgressBench alone) the gate competes with the source and the client for the same two cores;
# here the link is the bottleneck, as it is between a pod and the internet.
#
#   sudo sidecar/bench/egress-link.sh [RATE]      after: mvn -o -pl sidecar -am package -DskipTests
#
# Needs root (ip netns, tc), python3 (the source). Removes the namespace and the veth on exit and
# stops the source by its PID.
set -euo pipefail
rate=${1:-1gbit}
ns=tollgate-bench
bytes=$((512 << 20))
cd "$(dirname "$0")/../.."
[[ $EUID -eq 0 ]] || { echo "egress-link.sh: run as root (ip netns, tc)" >&2; exit 2; }
[[ -f sidecar/target/tollgate-sidecar.jar ]] || { echo "egress-link.sh: build first: mvn -o -pl sidecar -am package -DskipTests" >&2; exit 2; }
source_pid=""
cleanup() {
  if [[ -n $source_pid ]]; then kill "$source_pid" 2>/dev/null || true; wait "$source_pid" 2>/dev/null || true; fi
  ip link delete tgbench0 2>/dev/null || true
  ip netns delete "$ns" 2>/dev/null || true
}
trap cleanup EXIT
ip netns add "$ns"
ip link add tgbench0 type veth peer name tgbench1 netns "$ns"
ip addr add 10.99.0.1/24 dev tgbench0
ip link set tgbench0 up
ip netns exec "$ns" ip addr add 10.99.0.2/24 dev tgbench1
ip netns exec "$ns" ip link set tgbench1 up
ip netns exec "$ns" ip link set lo up
# The download direction: from the namespace to this side.
ip netns exec "$ns" tc qdisc add dev tgbench1 root tbf rate "$rate" burst 1mb latency 50ms
ip netns exec "$ns" python3 -c "
import socket, threading
chunk = b'x' * (1 << 20)
server = socket.socket(); server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(('10.99.0.2', 9000)); server.listen(64)
def send(conn):
    with conn:
        for _ in range($bytes >> 20):
            conn.sendall(chunk)
while True:
    conn, _ = server.accept()
    threading.Thread(target=send, args=(conn,), daemon=True).start()
" &
source_pid=$!
sleep 1
echo "link: veth, $rate (tc tbf) from the source's namespace; $((bytes >> 20)) MiB per download"
java -Dsource=10.99.0.2:9000 -Dbytes=$bytes -Drounds=500 -cp sidecar/target/tollgate-sidecar.jar sidecar/bench/EgressBench.java
