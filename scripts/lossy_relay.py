#!/usr/bin/env python3
"""Deterministic lossy layer-2 relay for recording Sharkfin's test captures.

Runs inside the "relay" network namespace and bridges two interfaces at
layer 2 using AF_PACKET raw sockets: every Ethernet frame received on one
interface is (maybe) impaired and then written, unchanged, to the other.
The kernel does not forward anything itself (the relay interfaces have no
IP addresses, IPv6 is disabled and ip_forward is 0), so this program is the
only path between the client and the server.

Impairments, independently per direction ("fwd" = IF_A -> IF_B, "rev" =
IF_B -> IF_A):

  * bandwidth limit: frames are serialised at --rate-* bit/s through a
    drop-tail queue of --queue-* bytes (a full queue drops the frame);
  * fixed one-way delay (--delay-*, milliseconds) applied after the
    serialisation, i.e. the link behaves like queue -> wire -> propagation;
  * random loss (--loss-*, probability per eligible frame);
  * reordering (--reorder-*, probability): a chosen frame gets an extra
    --reorder-extra-ms delay so that later frames overtake it.

Random decisions come from one random.Random per direction seeded from
--seed, consulted once per eligible frame in arrival order, so a given
seed and the same frame sequence give the same decisions.  Loss and
reordering are applied only to IPv4/IPv6 packets, never to ARP, IPv6
neighbour discovery / router solicitation, or TCP SYN segments (losing those
only adds multi-second stalls, nothing interesting).  Queue overflow
(congestion) drops apply to everything except ARP/ND.

Standard library only.  Must run as root (raw sockets).
"""

import argparse
import heapq
import os
import random
import select
import signal
import socket
import struct
import sys
import time

ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4
ETH_P_IP = 0x0800
ETH_P_IPV6 = 0x86DD
ETH_P_ARP = 0x0806
ETH_P_8021Q = 0x8100


def classify(frame):
    """Return (impairable, description) for an Ethernet frame."""
    if len(frame) < 14:
        return False, "runt"
    etype = struct.unpack_from("!H", frame, 12)[0]
    off = 14
    if etype == ETH_P_8021Q and len(frame) >= 18:
        etype = struct.unpack_from("!H", frame, 16)[0]
        off = 18
    if etype == ETH_P_IP and len(frame) >= off + 20:
        ihl = (frame[off] & 0x0F) * 4
        proto = frame[off + 9]
        if proto == 6 and len(frame) >= off + ihl + 14:
            flags = frame[off + ihl + 13]
            if flags & 0x02:  # SYN
                return False, "tcp-syn"
            return True, "tcp4"
        return True, "ip4"
    if etype == ETH_P_IPV6 and len(frame) >= off + 40:
        nxt = frame[off + 6]
        if nxt == 58 and len(frame) >= off + 41:
            icmp_type = frame[off + 40]
            if 133 <= icmp_type <= 137:  # RS, RA, NS, NA, redirect
                return False, "nd"
            return True, "icmp6"
        if nxt == 6 and len(frame) >= off + 40 + 14:
            flags = frame[off + 40 + 13]
            if flags & 0x02:
                return False, "tcp-syn"
            return True, "tcp6"
        return True, "ip6"
    return False, "other"


class Direction:
    def __init__(self, name, out_sock, delay_ms, loss, reorder, reorder_extra_ms,
                 rate_bps, queue_bytes, seed):
        self.name = name
        self.out_sock = out_sock
        self.delay = delay_ms / 1000.0
        self.loss = loss
        self.reorder = reorder
        self.reorder_extra = reorder_extra_ms / 1000.0
        self.rate = rate_bps
        self.queue_bytes = queue_bytes
        self.rng = random.Random(seed)
        self.link_free_at = 0.0   # when the serialiser finishes its backlog
        self.backlog = []         # (departure_time, size) of frames not yet serialised
        self.backlog_bytes = 0
        self.stats = {"in": 0, "out": 0, "lost": 0, "reordered": 0, "qdrop": 0}

    def _queued_bytes(self, now):
        while self.backlog and self.backlog[0][0] <= now:
            self.backlog_bytes -= self.backlog.pop(0)[1]
        return self.backlog_bytes

    def admit(self, frame, now):
        """Return the release time for the frame, or None if it is dropped."""
        self.stats["in"] += 1
        impairable, kind = classify(frame)
        # Always consume exactly two random numbers per impairable frame so
        # that the decision for frame N never depends on other parameters.
        if impairable:
            r_loss = self.rng.random()
            r_reo = self.rng.random()
            if r_loss < self.loss:
                self.stats["lost"] += 1
                return None
        else:
            r_reo = 1.0
        wire_len = len(frame) + 24  # preamble + SFD + FCS + IFG
        if self.rate > 0:
            if kind not in ("nd", "other"):  # never congestion-drop ARP / ND
                if self._queued_bytes(now) + wire_len > self.queue_bytes:
                    self.stats["qdrop"] += 1
                    return None
            start = max(now, self.link_free_at)
            done = start + wire_len * 8.0 / self.rate
            self.link_free_at = done
            self.backlog.append((done, wire_len))
            self.backlog_bytes += wire_len
        else:
            done = now
        release = done + self.delay
        if r_reo < self.reorder:
            self.stats["reordered"] += 1
            release += self.reorder_extra
        return release


def open_sock(ifname, rcvbuf):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, rcvbuf)
    s.bind((ifname, ETH_P_ALL))
    s.setblocking(False)
    return s


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("if_a", help="interface towards the client")
    p.add_argument("if_b", help="interface towards the server")
    p.add_argument("--seed", type=int, default=1)
    for d, txt in (("fwd", "client->server"), ("rev", "server->client")):
        p.add_argument(f"--delay-{d}", type=float, default=20.0, help=f"{txt} one-way delay, ms")
        p.add_argument(f"--loss-{d}", type=float, default=0.0, help=f"{txt} loss probability")
        p.add_argument(f"--reorder-{d}", type=float, default=0.0, help=f"{txt} reorder probability")
        p.add_argument(f"--rate-{d}", type=float, default=0.0, help=f"{txt} bit/s, 0 = unlimited")
        p.add_argument(f"--queue-{d}", type=int, default=64 * 1024, help=f"{txt} queue limit, bytes")
    p.add_argument("--reorder-extra-ms", type=float, default=4.0)
    p.add_argument("--stats", help="write per-direction counters to this file on exit")
    a = p.parse_args()

    sa = open_sock(a.if_a, 4 << 20)
    sb = open_sock(a.if_b, 4 << 20)
    fwd = Direction("fwd", sb, a.delay_fwd, a.loss_fwd, a.reorder_fwd, a.reorder_extra_ms,
                    a.rate_fwd, a.queue_fwd, a.seed * 2)
    rev = Direction("rev", sa, a.delay_rev, a.loss_rev, a.reorder_rev, a.reorder_extra_ms,
                    a.rate_rev, a.queue_rev, a.seed * 2 + 1)
    by_sock = {sa.fileno(): (sa, fwd), sb.fileno(): (sb, rev)}

    heap = []  # (release_time, counter, direction, frame)
    counter = 0
    running = True

    def stop(*_):
        nonlocal running
        running = False

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)

    poller = select.poll()
    for fd in by_sock:
        poller.register(fd, select.POLLIN)

    print(f"lossy_relay: {a.if_a} <-> {a.if_b} seed={a.seed} pid={os.getpid()}", flush=True)
    while running:
        now = time.monotonic()
        while heap and heap[0][0] <= now:
            _, _, d, frame = heapq.heappop(heap)
            try:
                d.out_sock.send(frame)
                d.stats["out"] += 1
            except OSError as e:
                print(f"lossy_relay: send failed on {d.name}: {e}", file=sys.stderr)
        timeout_ms = 50
        if heap:
            timeout_ms = max(0, (heap[0][0] - time.monotonic()) * 1000.0)
        try:
            events = poller.poll(timeout_ms)
        except InterruptedError:
            continue
        now = time.monotonic()
        for fd, _ in events:
            s, d = by_sock[fd]
            while True:
                try:
                    frame, addr = s.recvfrom(65535)
                except BlockingIOError:
                    break
                if addr[2] == PACKET_OUTGOING:
                    continue  # our own transmissions on this interface
                release = d.admit(frame, now)
                if release is None:
                    continue
                counter += 1
                heapq.heappush(heap, (release, counter, d, frame))

    summary = " ".join(f"{d.name}:" + ",".join(f"{k}={v}" for k, v in d.stats.items())
                       for d in (fwd, rev))
    print(f"lossy_relay: stopped; {summary}", flush=True)
    if a.stats:
        with open(a.stats, "w") as f:
            f.write(summary + "\n")


if __name__ == "__main__":
    main()
