#!/usr/bin/env bash
# What each class of field costs Elasticsearch, per mapping variant (see scripts/es-field-cost.py).
#
#   scripts/es-field-cost.sh [capture...] [-- es-field-cost.py options]
#
# Exports the packet template and the captures' documents (default: the project's lossy-bulk-ipv4.pcap) with the
# test classpath (run `./mvnw -o test-compile` first), starts a node of the distribution the build unpacked
# (target/elasticsearch) on port ${PORT:-19250} with its data under ${WORK:-/tmp/sharkfin-field-cost} (as
# ${RUN_AS:-sharkfin-es} when run as root), runs the measurement, and stops the node.
# Example: scripts/es-field-cost.sh -- --copies 20 --repeat 3 --disk-usage
#          scripts/es-field-cost.sh src/test/resources/captures/*.pcap ../shared/captures/tcp/* -- --copies 1
set -euo pipefail
cd "$(dirname "$0")/.."
captures=()
while [[ $# -gt 0 && $1 != -- ]]; do captures+=("$1"); shift; done
[[ ${#captures[@]} == 0 ]] && captures=(src/test/resources/captures/lossy-bulk-ipv4.pcap)
[[ ${1:-} == -- ]] && shift
PORT=${PORT:-19250}
WORK=${WORK:-/tmp/sharkfin-field-cost}
RUN_AS=${RUN_AS:-sharkfin-es}
JAVA=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
home=$(ls -d "$PWD"/target/elasticsearch/elasticsearch-* | head -1)

cp=/tmp/sharkfin-field-cost.classpath
[[ -s $cp ]] || ./mvnw -B -ntp -o -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=$cp
mkdir -p "$WORK"
"$JAVA" -cp "target/test-classes:target/classes:$(cat $cp)" dev.sharkfin.index.FieldCostExport "$WORK/export" "${captures[@]}"

rm -rf "$WORK/node" && mkdir -p "$WORK/node"/{data,logs,tmp} && cp -r "$home/config" "$WORK/node/config"
prefix=()
if [[ $(id -u) == 0 ]]; then chown -R "$RUN_AS" "$WORK/node"; prefix=(runuser -u "$RUN_AS" --); fi
env -u JAVA_HOME ES_JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}" ES_PATH_CONF="$WORK/node/config" \
    ES_TMPDIR="$WORK/node/tmp" ES_JAVA_OPTS="-Xms512m -Xmx512m" \
    "${prefix[@]}" "$home/bin/elasticsearch" -E cluster.name=field-cost -E discovery.type=single-node \
    -E network.host=127.0.0.1 -E http.port="$PORT" -E transport.port=$((PORT + 1)) -E path.data="$WORK/node/data" \
    -E path.logs="$WORK/node/logs" -E xpack.security.enabled=false \
    -E cluster.routing.allocation.disk.threshold_enabled=false >"$WORK/node/console.log" 2>&1 &
trap 'kill $(cat "$WORK/node/pid" 2>/dev/null) 2>/dev/null || true' EXIT
for _ in $(seq 120); do
    curl -sf "http://127.0.0.1:$PORT/_cluster/health?wait_for_status=yellow" >/dev/null && break
    sleep 1
done
pid=$(ss -ltnpH "sport = :$PORT" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)
echo "$pid" >"$WORK/node/pid"
python3 scripts/es-field-cost.py "$WORK/export" --es "http://127.0.0.1:$PORT" --es-pid "$pid" "$@"
