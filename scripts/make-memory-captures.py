#!/usr/bin/env python3
"""Captures for the memory benchmark (scripts/bench-memory.sh); write them outside the repository (/tmp).

  make-memory-captures.py syn OUT [COUNT]    COUNT SYNs (default 2,000,000), each from a new client address/port:
                                             every packet a new TCP conversation (70 bytes a packet, 140 MB).
  make-memory-captures.py bulk OUT [GIB]     about GIB GiB (default 2) of TCP transfers: 64 connections open at a
                                             time, each 1 MB of full-size segments (1448 bytes) acknowledged every
                                             second segment, then closed with FINs; one new connection as one ends.
Ethernet, IPv4, pcap with microsecond timestamps, 1 ms of capture time between packets. Checksums are left 0.
"""
import struct
import sys

PCAP_HEADER = struct.pack('<IHHiIII', 0xA1B2C3D4, 2, 4, 0, 0, 262144, 1)
ETH = b'\x02\x00\x00\x00\x00\x01' + b'\x02\x00\x00\x00\x00\x02' + b'\x08\x00'
SYN, ACK, PSH, FIN = 0x02, 0x10, 0x08, 0x01
T0 = 1_700_000_000


def ipv4(src, dst, payload_len):
    return struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + payload_len, 0, 0x4000, 64, 6, 0, src, dst)


def tcp(sport, dport, seq, ack, flags, options=b''):
    offset = (20 + len(options)) // 4
    return struct.pack('!HHIIBBHHH', sport, dport, seq & 0xFFFFFFFF, ack & 0xFFFFFFFF, offset << 4, flags,
                       65535, 0, 0) + options


class Writer:
    def __init__(self, path):
        self.f = open(path, 'wb', buffering=1 << 22)
        self.f.write(PCAP_HEADER)
        self.n = 0
        self.bytes = 24

    def packet(self, frame):
        t_us = self.n * 1000  # 1 ms apart
        self.f.write(struct.pack('<IIII', T0 + t_us // 1_000_000, t_us % 1_000_000, len(frame), len(frame)))
        self.f.write(frame)
        self.n += 1
        self.bytes += 16 + len(frame)

    def segment(self, src, dst, sport, dport, seq, ack, flags, payload=b''):
        self.packet(ETH + ipv4(src, dst, 20 + len(payload)) + tcp(sport, dport, seq, ack, flags) + payload)

    def close(self):
        self.f.close()


def syn_flood(path, count):
    w = Writer(path)
    server = bytes([10, 0, 0, 1])
    for i in range(count):
        client = bytes([11, (i >> 16) & 0xFF, (i >> 8) & 0xFF, i & 0xFF])
        w.segment(client, server, 1024 + (i % 60000), 80, i * 7919, 0, SYN)
    w.close()
    print(f'{path}: {w.n} packets, {w.bytes} bytes')


class Transfer:
    """One connection: handshake, 1 MB in 1448-byte segments acknowledged every second one, FINs."""
    SEGMENT = 1448
    SIZE = 1 << 20

    def __init__(self, k):
        self.client = bytes([10, 1, (k >> 8) & 0xFF, k & 0xFF])
        self.server = bytes([10, 2, 0, 1])
        self.port = 1024 + k % 60000
        self.cseq = 1000 + k
        self.sseq = 500000 + k
        self.sent = 0
        self.steps = self.run()

    def run(self):
        c, s, p = self.client, self.server, self.port
        yield (c, s, p, 80, self.cseq, 0, SYN, b'')
        yield (s, c, 80, p, self.sseq, self.cseq + 1, SYN | ACK, b'')
        yield (c, s, p, 80, self.cseq + 1, self.sseq + 1, ACK, b'')
        payload = bytes(self.SEGMENT)
        seq = self.sseq + 1
        n = 0
        while self.sent < self.SIZE:
            yield (s, c, 80, p, seq, self.cseq + 1, ACK | PSH, payload)
            seq += self.SEGMENT
            self.sent += self.SEGMENT
            n += 1
            if n % 2 == 0:
                yield (c, s, p, 80, self.cseq + 1, seq, ACK, b'')
        yield (s, c, 80, p, seq, self.cseq + 1, FIN | ACK, b'')
        yield (c, s, p, 80, self.cseq + 1, seq + 1, FIN | ACK, b'')
        yield (s, c, 80, p, seq + 1, self.cseq + 2, ACK, b'')


def bulk(path, gib):
    w = Writer(path)
    target = int(gib * (1 << 30))
    live = [Transfer(k) for k in range(64)]
    k = 64
    while w.bytes < target:
        for i in range(len(live)):
            step = next(live[i].steps, None)
            if step is None:
                live[i] = Transfer(k)
                k += 1
                step = next(live[i].steps)
            w.segment(*step)
    w.close()
    print(f'{path}: {w.n} packets, {w.bytes} bytes, {k} connections')


if __name__ == '__main__':
    if len(sys.argv) < 3 or sys.argv[1] not in ('syn', 'bulk'):
        sys.exit(__doc__)
    if sys.argv[1] == 'syn':
        syn_flood(sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 2_000_000)
    else:
        bulk(sys.argv[2], float(sys.argv[3]) if len(sys.argv) > 3 else 2)
