#!/usr/bin/env python3
"""Traffic endpoints used by record-captures.sh (standard library only).

Subcommands (run in the client or server network namespace):

  recv  --bind ADDR --port P [--rcvbuf N] [--read-first N --pause S]
        TCP receiver: accepts one connection, reads until EOF and closes.
        With --pause it reads --read-first bytes, then stops reading for
        --pause seconds (the receive window closes), then drains the rest.
  send  --host ADDR --port P --bytes N [--sndbuf N]
        TCP sender: connects, writes N bytes of a fixed pattern, half-closes,
        waits for the peer's FIN.
  dns-server --bind ADDR [--port 53] --count N
        Answers N DNS A queries with a fixed address.
  dns-query  --host ADDR [--port 53] NAME...
        Sends one DNS A query per NAME and waits for each answer.
  ping  --host ADDR [--count N] [--interval S]
        ICMP / ICMPv6 echo requests over a raw socket (no ping(8) needed).
  rst-server --bind ADDR --port P
        Accepts one connection, answers one line, then waits for the peer.
  rst-client --host ADDR --port P [--closed-port Q]
        Sends one line, reads the answer, then aborts the connection with
        SO_LINGER {1, 0} so the kernel sends a RST; optionally also connects
        to a closed port Q (the peer answers SYN with RST/ACK).
"""

import argparse
import os
import socket
import struct
import sys
import time

CC = os.environ.get("SHARKFIN_TCP_CC", "")


def family(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def tcp_socket(addr):
    s = socket.socket(family(addr), socket.SOCK_STREAM)
    if CC:
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_CONGESTION, CC.encode())
    return s


def listener(addr, port, rcvbuf=0):
    s = tcp_socket(addr)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if rcvbuf:
        # must be set before listen() so that it is inherited and the window
        # scale offered in the SYN/ACK is computed from it
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    s.bind((addr, port))
    s.listen(1)
    return s


def cmd_recv(a):
    ls = listener(a.bind, a.port, a.rcvbuf)
    print("ready", flush=True)
    c, peer = ls.accept()
    ls.close()
    total = 0
    if a.pause > 0:
        while total < a.read_first:
            d = c.recv(min(65536, a.read_first - total))
            if not d:
                break
            total += len(d)
        time.sleep(a.pause)
    while True:
        d = c.recv(65536)
        if not d:
            break
        total += len(d)
    c.close()
    print(f"recv: {total} bytes from {peer[0]}", file=sys.stderr)


def cmd_send(a):
    s = tcp_socket(a.host)
    if a.sndbuf:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, a.sndbuf)
    s.connect((a.host, a.port))
    block = bytes((i * 7 + 13) & 0xFF for i in range(65536))
    left = a.bytes
    t0 = time.monotonic()
    while left > 0:
        n = min(left, len(block))
        s.sendall(block[:n])
        left -= n
    s.shutdown(socket.SHUT_WR)
    while s.recv(65536):
        pass
    s.close()
    dt = time.monotonic() - t0
    print(f"send: {a.bytes} bytes in {dt:.2f} s ({a.bytes * 8 / dt / 1e6:.2f} Mbit/s)",
          file=sys.stderr)


def dns_name(name):
    out = b""
    for label in name.strip(".").split("."):
        out += bytes([len(label)]) + label.encode()
    return out + b"\0"


def cmd_dns_server(a):
    s = socket.socket(family(a.bind), socket.SOCK_DGRAM)
    s.bind((a.bind, a.port))
    print("ready", flush=True)
    for _ in range(a.count):
        q, peer = s.recvfrom(512)
        qid, flags, qd = struct.unpack_from("!HHH", q, 0)
        end = 12
        while q[end] != 0:
            end += q[end] + 1
        question = q[12:end + 5]
        hdr = struct.pack("!HHHHHH", qid, 0x8180, 1, 1, 0, 0)
        answer = (b"\xc0\x0c" + struct.pack("!HHIH", 1, 1, 300, 4)
                  + socket.inet_aton("10.99.53.53"))
        s.sendto(hdr + question + answer, peer)
    s.close()


def cmd_dns_query(a):
    s = socket.socket(family(a.host), socket.SOCK_DGRAM)
    s.settimeout(2.0)
    for i, name in enumerate(a.names):
        q = struct.pack("!HHHHHH", 0x5300 + i, 0x0100, 1, 0, 0, 0) + dns_name(name) + struct.pack("!HH", 1, 1)
        s.sendto(q, (a.host, a.port))
        s.recvfrom(512)
        time.sleep(0.05)
    s.close()


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    s = (s >> 16) + (s & 0xFFFF)
    s += s >> 16
    return ~s & 0xFFFF


def cmd_ping(a):
    v6 = ":" in a.host
    if v6:
        s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
        req_type, rep_type = 128, 129
    else:
        s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
        req_type, rep_type = 8, 0
    s.settimeout(2.0)
    ident = 0x5346  # "SF"
    payload = b"sharkfin-ping-" + bytes(range(34))
    for seq in range(1, a.count + 1):
        hdr = struct.pack("!BBHHH", req_type, 0, 0, ident, seq)
        # the kernel fills in the ICMPv6 checksum (it needs the pseudo header)
        csum = 0 if v6 else checksum(hdr + payload)
        pkt = struct.pack("!BBHHH", req_type, 0, csum, ident, seq) + payload
        s.sendto(pkt, (a.host, 0))
        deadline = time.monotonic() + 2.0
        while time.monotonic() < deadline:
            data = s.recv(2048)
            if not v6:
                data = data[(data[0] & 0x0F) * 4:]
            t, _, _, rid, rseq = struct.unpack_from("!BBHHH", data, 0)
            if t == rep_type and rid == ident and rseq == seq:
                break
        time.sleep(a.interval)
    s.close()


def cmd_rst_server(a):
    ls = listener(a.bind, a.port)
    print("ready", flush=True)
    c, _ = ls.accept()
    ls.close()
    c.recv(1024)
    c.sendall(b"HELLO sharkfin\r\n")
    c.settimeout(3.0)
    try:
        while c.recv(1024):
            pass
    except (ConnectionResetError, socket.timeout):
        pass
    c.close()


def cmd_rst_client(a):
    s = tcp_socket(a.host)
    s.connect((a.host, a.port))
    s.sendall(b"HELO relay\r\n")
    s.recv(1024)
    time.sleep(0.1)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.close()  # abortive close -> RST
    if a.closed_port:
        time.sleep(0.1)
        s = tcp_socket(a.host)
        try:
            s.connect((a.host, a.closed_port))
        except ConnectionRefusedError:
            pass
        s.close()


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("recv")
    r.add_argument("--bind", required=True)
    r.add_argument("--port", type=int, required=True)
    r.add_argument("--rcvbuf", type=int, default=0)
    r.add_argument("--read-first", type=int, default=0)
    r.add_argument("--pause", type=float, default=0.0)
    s = sub.add_parser("send")
    s.add_argument("--host", required=True)
    s.add_argument("--port", type=int, required=True)
    s.add_argument("--bytes", type=int, required=True)
    s.add_argument("--sndbuf", type=int, default=0)
    d = sub.add_parser("dns-server")
    d.add_argument("--bind", required=True)
    d.add_argument("--port", type=int, default=53)
    d.add_argument("--count", type=int, required=True)
    q = sub.add_parser("dns-query")
    q.add_argument("--host", required=True)
    q.add_argument("--port", type=int, default=53)
    q.add_argument("names", nargs="+")
    g = sub.add_parser("ping")
    g.add_argument("--host", required=True)
    g.add_argument("--count", type=int, default=2)
    g.add_argument("--interval", type=float, default=0.2)
    rs = sub.add_parser("rst-server")
    rs.add_argument("--bind", required=True)
    rs.add_argument("--port", type=int, required=True)
    rc = sub.add_parser("rst-client")
    rc.add_argument("--host", required=True)
    rc.add_argument("--port", type=int, required=True)
    rc.add_argument("--closed-port", type=int, default=0)
    a = p.parse_args()
    {"recv": cmd_recv, "send": cmd_send, "dns-server": cmd_dns_server,
     "dns-query": cmd_dns_query, "ping": cmd_ping, "rst-server": cmd_rst_server,
     "rst-client": cmd_rst_client}[a.cmd](a)


if __name__ == "__main__":
    main()
