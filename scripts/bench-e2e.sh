#!/usr/bin/env bash
# End-to-end throughput: uploads a capture to a running Sharkfin and reports packets per second from the
# job's own startedAt/finishedAt (reading, dissection, TCP analysis, bulk indexing and the final refresh).
#   scripts/bench-e2e.sh CAPTURE [RUNS] [BASE_URL]
set -euo pipefail
capture=${1:?usage: bench-e2e.sh CAPTURE [RUNS] [BASE_URL]}
runs=${2:-3}
base=${3:-http://localhost:8080}
for i in $(seq "$runs"); do
  id=$(curl -sf -F "file=@$capture" "$base/api/captures" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  while :; do
    job=$(curl -sf "$base/api/jobs/$id")
    state=$(printf '%s' "$job" | python3 -c 'import json,sys; print(json.load(sys.stdin)["state"])')
    case $state in succeeded|failed|cancelled) break ;; esac
    sleep 0.2
  done
  printf '%s' "$job" | python3 -c '
import json, sys
from datetime import datetime
j = json.load(sys.stdin)
t = lambda s: datetime.fromisoformat(s.replace("Z", "+00:00"))
secs = (t(j["finishedAt"]) - t(j["startedAt"])).total_seconds()
print(f"{j[\"state\"]}: {j[\"packetsIndexed\"]} packets in {secs:.2f} s = {j[\"packetsIndexed\"] / secs:,.0f} packets/s "
      f"({j[\"bytesTotal\"] / secs / 1e6:.1f} MB/s), {j[\"packetsFailed\"]} failed")'
done
