#!/usr/bin/env bash
# End-to-end throughput: uploads a capture to a running Sharkfin and reports packets per second from the
# job's own startedAt/finishedAt (reading, dissection, TCP analysis, bulk indexing and the final refresh).
#   scripts/bench-e2e.sh CAPTURE [RUNS] [BASE_URL]
set -euo pipefail
capture=${1:?usage: bench-e2e.sh CAPTURE [RUNS] [BASE_URL]}
runs=${2:-3}
base=${3:-http://localhost:8080}
# With API keys configured, export SHARKFIN_API_KEY (a full key): every request sends it as X-API-Key.
api() { if [ -n "${SHARKFIN_API_KEY:-}" ]; then curl -sf -H "X-API-Key: $SHARKFIN_API_KEY" "$@"; else curl -sf "$@"; fi; }
report='
import json, sys
from datetime import datetime
j = json.load(sys.stdin)
t = lambda s: datetime.fromisoformat(s.replace("Z", "+00:00"))
secs = (t(j["finishedAt"]) - t(j["startedAt"])).total_seconds()
n, size, failed = j["packetsIndexed"], j["bytesTotal"], j["packetsFailed"]
print("%s: %d packets in %.2f s = %.0f packets/s (%.1f MB/s), %d failed" % (j["state"], n, secs, n / secs, size / secs / 1e6, failed))
'
for _ in $(seq "$runs"); do
  id=$(api -F "file=@$capture" "$base/api/captures" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  while :; do
    job=$(api "$base/api/jobs/$id")
    state=$(printf '%s' "$job" | python3 -c 'import json,sys; print(json.load(sys.stdin)["state"])')
    case $state in succeeded|failed|cancelled) break ;; esac
    sleep 0.5
  done
  printf '%s' "$job" | python3 -c "$report"
done
