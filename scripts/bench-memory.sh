#!/usr/bin/env bash
# Heap during ingestion: starts the built jar with a small heap (its own embedded Elasticsearch, ports and folders
# under WORK), uploads each capture in turn, waits for its job to end, and prints per job its end state, packets,
# warnings or error, the live heap sampled every 30 s (a class histogram, which collects first: flat means bounded)
# and the heap after each garbage collection during the job; then whether the service still answers. Captures for it: scripts/make-memory-captures.py.
#   scripts/bench-memory.sh [--jar target/sharkfin-*.jar] [--xmx 512m] [--port 18090] [--es-port 19200]
#                           [--work /tmp/sharkfin-bench-memory] [-- JVM/Spring args ...] CAPTURE...
# As root, the embedded Elasticsearch needs an unprivileged user: SHARKFIN_ELASTICSEARCH_EMBEDDED_RUNAS=<user>.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
jar=$(ls "$here"/../target/sharkfin-*.jar 2>/dev/null | grep -v original | head -1 || true)
xmx=512m port=18090 es_port=19200 work=/tmp/sharkfin-bench-memory extra=() captures=()
while [ $# -gt 0 ]; do
  case "$1" in
    --jar) jar=$2; shift 2 ;;
    --xmx) xmx=$2; shift 2 ;;
    --port) port=$2; shift 2 ;;
    --es-port) es_port=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --) shift; while [ $# -gt 0 ] && [ "$1" != -- ]; do extra+=("$1"); shift; done; [ $# -gt 0 ] && shift ;;
    *) captures+=("$1"); shift ;;
  esac
done
[ -n "$jar" ] && [ ${#captures[@]} -gt 0 ] || { sed -n 2,8p "$0"; exit 2; }
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
mkdir -p "$work"
chmod o+rx "$work"
base=http://127.0.0.1:$port
gclog=$work/gc.log
rm -f "$gclog"
"$java" -Xmx"$xmx" -Xlog:gc:file="$gclog":uptime "${extra[@]}" -jar "$jar" \
  --server.port="$port" --sharkfin.elasticsearch.embedded.port="$es_port" \
  --sharkfin.elasticsearch.embedded.data-dir="$work/es" --sharkfin.capture.dir="$work/captures" \
  --sharkfin.jobs.resume=false > "$work/sharkfin.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null || true' EXIT
echo "Sharkfin pid $pid, -Xmx$xmx, log $work/sharkfin.log, GC log $gclog"
for _ in $(seq 1 300); do
  curl -sf "$base/actuator/health" | grep -q '"UP"' && break
  kill -0 $pid 2>/dev/null || { tail -20 "$work/sharkfin.log"; exit 1; }
  sleep 2
done
# The JVM's uptime, the GC log's clock.
jvm_uptime() { "${JAVA_HOME:+$JAVA_HOME/bin/}jcmd" $pid VM.uptime | awk '/ s$/ {print $1}'; }
# The live heap every 30 s: a class histogram (it collects first, so what it counts is what is still referenced).
jcmd=${JAVA_HOME:+$JAVA_HOME/bin/}jcmd
live=$work/live.txt
: > "$live"
( while kill -0 $pid 2>/dev/null; do
    echo "$(jvm_uptime) $("$jcmd" $pid GC.class_histogram 2>/dev/null | awk '/^Total/ {print int($3 / 1048576)}')" >> "$live"
    sleep 30
  done ) &
sampler=$!
trap 'kill $sampler $pid 2>/dev/null; wait $pid 2>/dev/null || true' EXIT
for cap in "${captures[@]}"; do
  start=$(jvm_uptime)
  t0=$(date +%s)
  id=$(curl -sf -X POST -T "$cap" -H 'Content-Type: application/octet-stream' \
    "$base/api/captures?name=$(basename "$cap")" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  while :; do
    job=$(curl -sf "$base/api/jobs/$id" || echo '{"state":"unreachable"}')
    state=$(echo "$job" | python3 -c 'import json,sys; print(json.load(sys.stdin)["state"])')
    case "$state" in succeeded|failed|cancelled|unreachable) break ;; esac
    sleep 5
  done
  end=$(jvm_uptime)
  echo "== $(basename "$cap") ($(stat -c %s "$cap") bytes): $state in $(( $(date +%s) - t0 )) s"
  echo "$job" | python3 -c '
import json, sys
j = json.load(sys.stdin)
print("   packets read %s, indexed %s, failed %s" % (j.get("packetsRead"), j.get("packetsIndexed"), j.get("packetsFailed")))
for w in j.get("warnings") or []: print("   warning:", w)
if j.get("error"): print("   error:", j["error"])'
  awk -v s="$start" -v e="$end" '$1 >= s && $1 <= e && $2 != "" {n++; v[n] = $2}
    END {if (n) {min = max = v[1]; for (i = 1; i <= n; i++) {if (v[i] < min) min = v[i]; if (v[i] > max) max = v[i]}
         printf "   live heap (every 30 s, %d samples): first %d MB, last %d MB, min %d MB, max %d MB\n", n, v[1], v[n], min, max}}' "$live"
  python3 - "$gclog" "$start" "$end" <<'PY'
import re, sys
log, start, end = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
after = []
for line in open(log):
    m = re.match(r'\[(\d+\.\d+)s\].*Pause.* (\d+)M->(\d+)M\((\d+)M\)', line)
    if m and start <= float(m.group(1)) <= end:
        after.append((float(m.group(1)), int(m.group(3)), int(m.group(4))))
if not after:
    print("   no GC during the job"); sys.exit()
heaps = [a for _, a, _ in after]
q = len(heaps) // 4 or 1
print("   heap after GC: %d collections, min %d MB, max %d MB, first quarter max %d MB, last quarter max %d MB, "
      "committed up to %d MB" % (len(heaps), min(heaps), max(heaps), max(heaps[:q]), max(heaps[-q:]),
                                 max(c for _, _, c in after)))
PY
  curl -sf -o /dev/null "$base/actuator/health" && echo "   the service answers" || echo "   the service does NOT answer"
done
grep -c OutOfMemoryError "$work/sharkfin.log" | sed 's/^/OutOfMemoryError lines in the log: /' || true
