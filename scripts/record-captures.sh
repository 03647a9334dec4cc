#!/usr/bin/env bash
# Re-record Sharkfin's test captures (src/test/resources/captures/*.pcap).
#
#   sudo scripts/record-captures.sh [CAPTURE...]
#
# CAPTURE is any of: lossy-bulk-ipv4 lossy-bulk-ipv6 zero-window mixed-small
# (default: all of them).  Environment overrides: OUT_DIR, PYTHON, SNAPLEN,
# NS_PREFIX and the per-capture knobs below (BULK4_*, BULK6_*, ZW_*).
#
# Topology (three network namespaces, veth pairs, no traffic leaves them):
#
#   [client] c0 ==veth== r0 [relay] r1 ==veth== s0 [server]
#   10.99.0.1/24                                 10.99.0.2/24
#   fd00:99::1/64                                fd00:99::2/64
#
# The relay namespace has no addresses, IPv6 disabled and IP forwarding off;
# scripts/lossy_relay.py bridges r0 <-> r1 at layer 2 with AF_PACKET sockets
# and adds delay, seeded random loss, reordering and a rate limit with a
# drop-tail queue.  Offloads are off on every veth so tcpdump sees wire-size
# segments with real checksums.  The client is the TCP sender in every
# transfer.  tcpdump records in the client namespace on c0 (the sender's
# view: dup ACKs and SACKs arrive, retransmissions leave), except
# lossy-bulk-ipv6, which is recorded on the server's s0 (the receiver's view:
# lost segments, out-of-order arrivals); see BULK*_SIDE.
#
# The defaults below are the ones that produced the committed files.
# Traffic timing depends on the scheduler, so a re-recording gives the same
# kind of capture, not byte-identical files; the relay's loss/reorder
# decisions are a pure function of the seed and the frame order.
set -euo pipefail

if [[ $EUID -ne 0 ]]; then
    echo "record-captures.sh: must run as root (network namespaces, raw sockets)" >&2
    exit 1
fi

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT_DIR="${OUT_DIR:-$HERE/../src/test/resources/captures}"
if [[ -z "${PYTHON:-}" ]]; then
    if [[ -x /usr/bin/python3 ]]; then PYTHON=/usr/bin/python3; else PYTHON="$(command -v python3)"; fi
fi
SNAPLEN="${SNAPLEN:-256}"
NS_PREFIX="${NS_PREFIX:-sfcap}"
NS_C="$NS_PREFIX-client"
NS_R="$NS_PREFIX-relay"
NS_S="$NS_PREFIX-server"
# Congestion control for every TCP socket (set per socket with TCP_CONGESTION:
# a non-initial netns may only select the host's "allowed" algorithms as its
# default, and the host default may well be bbr).  cubic shows classic
# loss-based recovery with a visible cwnd saw-tooth.
export SHARKFIN_TCP_CC="${TCP_CC:-cubic}"

C4=10.99.0.1 S4=10.99.0.2
C6=fd00:99::1 S6=fd00:99::2
P4=10.99.0.3 P4_MAC=02:99:00:00:00:03   # the user-space prober in the client namespace

# --- per-capture knobs (defaults = committed captures) ----------------------
# Receive buffer of the bulk receivers.  A fixed SO_RCVBUF turns off receive
# autotuning: otherwise nearly every duplicate ACK also grows the window and
# tshark calls it a window update instead of a dup ACK (and then sees no fast
# retransmissions).  212992 is the default net.core.rmem_max (no host change).
BULK_RCVBUF="${BULK_RCVBUF:-212992}"
# lossy-bulk-ipv4: client -> server bulk upload over IPv4
BULK4_BYTES="${BULK4_BYTES:-2000000}"
BULK4_SIDE="${BULK4_SIDE:-client}"    # record on the sender (client) or receiver (server) side
BULK4_RELAY="${BULK4_RELAY:---seed 12 --delay-fwd 20 --delay-rev 20 --loss-fwd 0.012 --loss-rev 0.005 --reorder-fwd 0.01 --reorder-rev 0.005 --rate-fwd 10e6 --rate-rev 10e6 --queue-fwd 65536 --queue-rev 65536}"
# lossy-bulk-ipv6: the same over IPv6, smaller
BULK6_BYTES="${BULK6_BYTES:-1000000}"
BULK6_SIDE="${BULK6_SIDE:-server}"
BULK6_RELAY="${BULK6_RELAY:---seed 11 --delay-fwd 20 --delay-rev 20 --loss-fwd 0.012 --loss-rev 0.005 --reorder-fwd 0.01 --reorder-rev 0.005 --rate-fwd 10e6 --rate-rev 10e6 --queue-fwd 65536 --queue-rev 65536}"
# zero-window: the receiver stops reading for ZW_PAUSE seconds
ZW_BYTES="${ZW_BYTES:-300000}"
ZW_RCVBUF="${ZW_RCVBUF:-16384}"
ZW_READ_FIRST="${ZW_READ_FIRST:-20000}"
ZW_PAUSE="${ZW_PAUSE:-1.0}"
ZW_PROBE_BYTES="${ZW_PROBE_BYTES:-100000}"
ZW_RELAY="${ZW_RELAY:---seed 3 --delay-fwd 15 --delay-rev 15}"
# mixed-small: no impairment except the delay
MIXED_RELAY="${MIXED_RELAY:---seed 5 --delay-fwd 5 --delay-rev 5}"

ALL_CAPTURES=(lossy-bulk-ipv4 lossy-bulk-ipv6 zero-window mixed-small)
if [[ $# -gt 0 ]]; then CAPTURES=("$@"); else CAPTURES=("${ALL_CAPTURES[@]}"); fi

for tool in ip tcpdump ethtool "$PYTHON"; do
    command -v "$tool" >/dev/null 2>&1 || { echo "record-captures.sh: missing $tool (apt-get install iproute2 tcpdump ethtool python3)" >&2; exit 1; }
done

grep -qw "$SHARKFIN_TCP_CC" /proc/sys/net/ipv4/tcp_available_congestion_control || {
    echo "record-captures.sh: TCP congestion control '$SHARKFIN_TCP_CC' not available (modprobe tcp_$SHARKFIN_TCP_CC)" >&2; exit 1; }

TMP="$(mktemp -d /tmp/sharkfin-captures.XXXXXX)"
BG_PIDS=()

cleanup() {
    local rc=$?
    set +e
    for pid in "${BG_PIDS[@]}"; do
        kill -TERM "$pid" 2>/dev/null
    done
    for pid in "${BG_PIDS[@]}"; do
        wait "$pid" 2>/dev/null
    done
    for ns in "$NS_C" "$NS_R" "$NS_S"; do
        ip netns del "$ns" 2>/dev/null
    done
    rm -rf "$TMP"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { printf '[record-captures] %s\n' "$*" >&2; }
nsx() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

# Remove pid $1 from BG_PIDS after it was waited for.
forget() {
    local keep=() p
    for p in "${BG_PIDS[@]}"; do [[ $p == "$1" ]] || keep+=("$p"); done
    BG_PIDS=("${keep[@]+"${keep[@]}"}")
}

wait_for_line() {  # file pattern timeout_s
    local i
    for ((i = 0; i < $3 * 20; i++)); do
        grep -q "$2" "$1" 2>/dev/null && return 0
        sleep 0.05
    done
    echo "record-captures.sh: timed out waiting for '$2' in $1" >&2
    cat "$1" >&2 || true
    return 1
}

setup_topology() {
    for ns in "$NS_C" "$NS_R" "$NS_S"; do
        if ip netns list | grep -qw "$ns"; then ip netns del "$ns"; fi
        ip netns add "$ns"
        nsx "$ns" ip link set lo up
    done
    # relay: no IP at all, only lossy_relay.py moves frames
    nsx "$NS_R" sysctl -qw net.ipv4.ip_forward=0
    nsx "$NS_R" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
    nsx "$NS_R" sysctl -qw net.ipv6.conf.default.disable_ipv6=1
    for ns in "$NS_C" "$NS_S"; do
        nsx "$ns" sysctl -qw net.ipv6.conf.default.accept_dad=0
        nsx "$ns" sysctl -qw net.ipv6.conf.default.router_solicitations=0
        nsx "$ns" sysctl -qw net.ipv6.conf.default.accept_ra=0
        nsx "$ns" sysctl -qw net.ipv4.tcp_sack=1 net.ipv4.tcp_window_scaling=1 net.ipv4.tcp_timestamps=1
        nsx "$ns" sysctl -qw net.ipv4.tcp_no_metrics_save=1
    done
    ip -n "$NS_C" link add c0 type veth peer name r0 netns "$NS_R"
    ip -n "$NS_S" link add s0 type veth peer name r1 netns "$NS_R"
    ip -n "$NS_C" link set c0 address 02:99:00:00:00:01
    ip -n "$NS_S" link set s0 address 02:99:00:00:00:02
    for pair in "$NS_C c0" "$NS_R r0" "$NS_R r1" "$NS_S s0"; do
        set -- $pair
        nsx "$1" ethtool -K "$2" tx off rx off tso off gso off gro off >/dev/null 2>&1 ||
            nsx "$1" ethtool -K "$2" tso off gso off gro off >/dev/null
        nsx "$1" ip link set "$2" up
    done
    nsx "$NS_R" ip link set r0 promisc on
    nsx "$NS_R" ip link set r1 promisc on
    ip -n "$NS_C" addr add "$C4/24" dev c0
    ip -n "$NS_C" addr add "$C6/64" dev c0 nodad
    ip -n "$NS_S" addr add "$S4/24" dev s0
    ip -n "$NS_S" addr add "$S6/64" dev s0 nodad
    sleep 2  # let link-local setup / MLD reports pass before anything is recorded
}

RELAY_PID=""
start_relay() {  # name, relay args...
    local name=$1; shift
    # shellcheck disable=SC2068
    ip netns exec "$NS_R" "$PYTHON" "$HERE/lossy_relay.py" r0 r1 --stats "$TMP/$name.relay-stats" $@ \
        >"$TMP/$name.relay.log" 2>&1 &
    RELAY_PID=$!
    BG_PIDS+=("$RELAY_PID")
    wait_for_line "$TMP/$name.relay.log" "lossy_relay:" 10
}

stop_relay() {
    kill -TERM "$RELAY_PID"
    wait "$RELAY_PID" || true
    forget "$RELAY_PID"
    log "relay: $(cat "$TMP/$1.relay-stats" 2>/dev/null || echo '?')"
}

TCPDUMP_PID=""
start_tcpdump() {  # name, side (client|server), filter...
    local name=$1 ns=$NS_C ifc=c0
    if [[ $2 == server ]]; then ns=$NS_S ifc=s0; fi
    shift 2
    ip netns exec "$ns" tcpdump -i "$ifc" -n --immediate-mode -s "$SNAPLEN" --time-stamp-precision=nano -U -Z root \
        -w "$TMP/$name.pcap" "$@" >"$TMP/$name.tcpdump.log" 2>&1 &
    TCPDUMP_PID=$!
    BG_PIDS+=("$TCPDUMP_PID")
    wait_for_line "$TMP/$name.tcpdump.log" "listening on" 10
}

stop_tcpdump() {
    sleep 0.3
    kill -TERM "$TCPDUMP_PID"
    wait "$TCPDUMP_PID" || true
    forget "$TCPDUMP_PID"
    grep -E "captured|dropped by kernel" "$TMP/$1.tcpdump.log" | tr '\n' ' ' >&2 || true
    echo >&2
    install -m 0644 "$TMP/$1.pcap" "$OUT_DIR/$1.pcap"
    log "wrote $OUT_DIR/$1.pcap ($(stat -c %s "$OUT_DIR/$1.pcap") bytes)"
}

start_peer() {  # name, ns, peers args...  (waits for "ready")
    local name=$1 ns=$2; shift 2
    ip netns exec "$ns" "$PYTHON" "$HERE/capture_peers.py" "$@" >"$TMP/$name.peer.log" 2>&1 &
    PEER_PID=$!
    BG_PIDS+=("$PEER_PID")
    wait_for_line "$TMP/$name.peer.log" "ready" 10
}

finish_peer() {
    wait "$PEER_PID"
    forget "$PEER_PID"
}

record_bulk() {  # name server-addr bytes relay-args capture-side
    local name=$1 addr=$2 bytes=$3 relay=$4 side=$5
    log "recording $name: $bytes bytes to $addr, relay: $relay, capture on the $side side"
    start_relay "$name" "$relay"
    start_tcpdump "$name" "$side" tcp port 5001
    start_peer "$name" "$NS_S" recv --bind "$addr" --port 5001 --rcvbuf "$BULK_RCVBUF"
    nsx "$NS_C" "$PYTHON" "$HERE/capture_peers.py" send --host "$addr" --port 5001 --bytes "$bytes"
    finish_peer
    stop_tcpdump "$name"
    stop_relay "$name"
}

record_zero_window() {
    local name=zero-window
    log "recording $name: $ZW_BYTES bytes, receiver rcvbuf $ZW_RCVBUF, pauses $ZW_PAUSE s after $ZW_READ_FIRST bytes"
    start_relay "$name" "$ZW_RELAY"
    start_tcpdump "$name" client tcp port 5002 or tcp port 5005 or arp
    # stream 0: Linux sender -> Linux receiver (Linux probes a closed window
    # with a zero-length segment at snd_una-1: tshark says "TCP Keep-Alive")
    start_peer "$name" "$NS_S" recv --bind "$S4" --port 5002 --rcvbuf "$ZW_RCVBUF" \
        --read-first "$ZW_READ_FIRST" --pause "$ZW_PAUSE"
    nsx "$NS_C" "$PYTHON" "$HERE/capture_peers.py" send --host "$S4" --port 5002 --bytes "$ZW_BYTES"
    finish_peer
    # stream 1: user-space sender from $P4 (answers its own ARP) that probes
    # with 1 byte at the next sequence number -> tcp.analysis.zero_window_probe
    start_peer "$name-probe" "$NS_S" recv --bind "$S4" --port 5005 --rcvbuf "$ZW_RCVBUF" \
        --read-first "$ZW_READ_FIRST" --pause "$ZW_PAUSE"
    nsx "$NS_C" "$PYTHON" "$HERE/capture_peers.py" probe-send --ifname c0 --src "$P4" \
        --src-mac "$P4_MAC" --host "$S4" --port 5005 --bytes "$ZW_PROBE_BYTES"
    finish_peer
    stop_tcpdump "$name"
    stop_relay "$name"
}

record_mixed_small() {
    local name=mixed-small
    log "recording $name: ARP/ND, DNS over UDP, ICMP/ICMPv6 echo, TCP with RST"
    start_relay "$name" "$MIXED_RELAY"
    ip -n "$NS_C" neigh flush dev c0
    ip -n "$NS_S" neigh flush dev s0
    start_tcpdump "$name" client
    start_peer "$name-dns" "$NS_S" dns-server --bind "$S4" --port 53 --count 2
    nsx "$NS_C" "$PYTHON" "$HERE/capture_peers.py" dns-query --host "$S4" --port 53 \
        sharkfin.test. relay.sharkfin.test.
    finish_peer
    nsx "$NS_C" "$PYTHON" "$HERE/capture_peers.py" ping --host "$S4" --count 2
    nsx "$NS_C" "$PYTHON" "$HERE/capture_peers.py" ping --host "$S6" --count 2
    start_peer "$name-rst" "$NS_S" rst-server --bind "$S4" --port 5003
    nsx "$NS_C" "$PYTHON" "$HERE/capture_peers.py" rst-client --host "$S4" --port 5003 --closed-port 5004
    finish_peer
    stop_tcpdump "$name"
    stop_relay "$name"
}

mkdir -p "$OUT_DIR"
setup_topology
for cap in "${CAPTURES[@]}"; do
    case "$cap" in
        lossy-bulk-ipv4) record_bulk lossy-bulk-ipv4 "$S4" "$BULK4_BYTES" "$BULK4_RELAY" "$BULK4_SIDE" ;;
        lossy-bulk-ipv6) record_bulk lossy-bulk-ipv6 "$S6" "$BULK6_BYTES" "$BULK6_RELAY" "$BULK6_SIDE" ;;
        zero-window) record_zero_window ;;
        mixed-small) record_mixed_small ;;
        *) echo "record-captures.sh: unknown capture '$cap' (known: ${ALL_CAPTURES[*]})" >&2; exit 2 ;;
    esac
done
log "done"
