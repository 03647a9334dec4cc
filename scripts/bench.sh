#!/usr/bin/env bash
# What users get, in one run against one running Sharkfin and its Elasticsearch: (a) Sharkfin end to end with the
# Sharkfin process's and Elasticsearch's CPU microseconds per packet, (b) the ceiling (the job's own documents
# re-sent pre-serialized by two bare bulk senders), (c) the tshark -T ek route; rates and ratios.
#   scripts/bench.sh CAPTURE [--base http://localhost:8080] [--es http://localhost:9200] [--skip ceiling,tshark]
# A capture of about 240,000 packets from the project's lossy transfers: scripts/bench.sh --make-capture OUT [COPIES]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
if [ "${1:-}" = --make-capture ]; then
  out=${2:?usage: bench.sh --make-capture OUT [COPIES]}
  copies=${3:-60}
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  caps=("$here"/../src/test/resources/captures/{lossy-bulk-ipv4,lossy-bulk-ipv6,zero-window}.pcap)
  mergecap -F pcap -w "$tmp/set.pcap" "${caps[@]}"
  # Copies one after the other, each an hour later: the same transfers again, as new conversations.
  for i in $(seq 0 $((copies - 1))); do
    editcap -F pcap -t $((i * 3600)) "$tmp/set.pcap" "$tmp/copy-$i.pcap"
  done
  mergecap -F pcap -a -w "$out" $(for i in $(seq 0 $((copies - 1))); do echo "$tmp/copy-$i.pcap"; done)
  capinfos -c "$out"
  exit 0
fi
exec python3 "$here/bench.py" "$@"
