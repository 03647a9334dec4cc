#!/usr/bin/env bash
# Live capture throughput: for each rate, a running Sharkfin captures UDP datagrams sent across a veth pair into a
# network namespace (made here; needs root), and this reports what libpcap delivered, what the kernel dropped, and
# how long the indexer took to catch up after the sender stopped.
#   sudo scripts/bench-live.sh [SECONDS] [RATES...] (default: 10 s at 5000 10000 20000 50000 100000 packets/s)
# Sharkfin must run on this machine as root (./mvnw spring-boot:run), at BASE_URL (default http://localhost:8080).
set -euo pipefail
seconds=${1:-10}; shift || true
rates=${*:-5000 10000 20000 50000 100000}
base=${BASE_URL:-http://localhost:8080}
# With API keys configured, export SHARKFIN_API_KEY (a full key): every request sends it as X-API-Key.
api() { if [ -n "${SHARKFIN_API_KEY:-}" ]; then curl -sf -H "X-API-Key: $SHARKFIN_API_KEY" "$@"; else curl -sf "$@"; fi; }
here=$(cd "$(dirname "$0")" && pwd)
ns=sharkfin-bench; a=sfbench0; b=sfbench1
ip netns del "$ns" 2>/dev/null || true
ip netns add "$ns"
trap 'ip netns del "$ns" 2>/dev/null || true' EXIT
ip link add "$a" type veth peer name "$b"
ip link set "$b" netns "$ns"
ip addr add 10.213.250.1/24 dev "$a"; ip link set "$a" up
ip netns exec "$ns" ip addr add 10.213.250.2/24 dev "$b"
ip netns exec "$ns" ip link set "$b" up
java "$here/UdpBlast.java" 10.213.250.2 9 10 0.3 >/dev/null # the neighbour resolved before the first counted datagram

field() { python3 -c "import json,sys; j=json.load(sys.stdin); print(eval('j' + sys.argv[1]))" "$1"; }
printf '%8s %8s %10s %10s %10s %8s %8s %12s %10s\n' rate reached sent captured indexed kdrop ifdrop 'catch-up s' 'indexed/s'
for rate in $rates; do
  job=$(api -H 'Content-Type: application/json' "$base/api/captures/live" \
    -d "{\"interface\": \"$a\", \"filter\": \"udp and dst port 9999\", \"maxDuration\": \"10m\"}")
  id=$(printf '%s' "$job" | field '["id"]')
  sleep 0.5
  blast=$(java "$here/UdpBlast.java" 10.213.250.2 9999 "$rate" "$seconds")
  sent=$(printf '%s' "$blast" | awk '{print $2}'); reached=$(printf '%s' "$blast" | awk '{print $NF}' | tr -d '/s')
  t0=$(date +%s.%N); start=$SECONDS
  while :; do
    j=$(api "$base/api/jobs/$id")
    c=$(printf '%s' "$j" | field '["live"]["packetsCaptured"]'); n=$(printf '%s' "$j" | field '["packetsIndexed"]')
    [ "$n" -ge "$c" ] && [ "$c" -ge "$sent" ] && break
    [ $((SECONDS - start)) -gt 300 ] && break
    sleep 0.2
  done
  t1=$(date +%s.%N)
  api -X POST "$base/api/jobs/$id/stop" >/dev/null
  while [ "$(api "$base/api/jobs/$id" | field '["state"]')" = running ]; do sleep 0.2; done
  j=$(api "$base/api/jobs/$id")
  python3 - "$rate" "$sent" "$t0" "$t1" "$seconds" "$reached" <<PY
import json, sys
from datetime import datetime
j = json.loads('''$j''')
rate, sent, t0, t1, secs = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5])
l = j["live"]
print("%8d %8s %10d %10d %10d %8d %8d %12.2f %10.0f" % (rate, sys.argv[6], sent, l["packetsCaptured"], j["packetsIndexed"],
      l["droppedByKernel"], l["droppedByInterface"], t1 - t0, j["packetsIndexed"] / (secs + t1 - t0)))
PY
done
