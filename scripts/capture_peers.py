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
  probe-send --ifname IF --src ADDR --host ADDR --port P --bytes N
        A deliberately tiny user-space TCP sender (IPv4, AF_PACKET, its own
        ARP) that behaves like a BSD/Windows stack when the peer's window is
        zero: it sends 1-byte zero-window probes at the next sequence number.
        Linux probes with a zero-length segment at snd_una - 1, which tshark
        labels "TCP Keep-Alive", so this is the only way to get segments that
        tshark flags tcp.analysis.zero_window_probe from a real peer.
  rst-server --bind ADDR --port P
        Accepts one connection, answers one line, then waits for the peer.
  rst-client --host ADDR --port P [--closed-port Q]
        Sends one line, reads the answer, then aborts the connection with
        SO_LINGER {1, 0} so the kernel sends a RST; optionally also connects
        to a closed port Q (the peer answers SYN with RST/ACK).
"""

import argparse
import os
import select
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


# --- tiny user-space TCP sender (zero-window probes the BSD way) -------------

def _mac(text):
    return bytes(int(x, 16) for x in text.split(":"))


class TinyTcp:
    ETH_P_ALL = 0x0003

    def __init__(self, ifname, src_ip, src_mac, dst_ip, sport, dport):
        self.s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(self.ETH_P_ALL))
        self.s.bind((ifname, self.ETH_P_ALL))
        self.src_ip = socket.inet_aton(src_ip)
        self.dst_ip = socket.inet_aton(dst_ip)
        self.src_mac = _mac(src_mac)
        self.dst_mac = None
        self.sport, self.dport = sport, dport
        self.ip_id = 0x1000

    # frames -----------------------------------------------------------------
    def _arp(self, op, target_mac, target_ip, eth_dst):
        arp = struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, op, self.src_mac, self.src_ip,
                          target_mac, target_ip)
        self.s.send(eth_dst + self.src_mac + b"\x08\x06" + arp + b"\0" * 18)

    def resolve(self):
        self._arp(1, b"\0" * 6, self.dst_ip, b"\xff" * 6)
        deadline = time.monotonic() + 3
        while self.dst_mac is None and time.monotonic() < deadline:
            self.poll(0.1)
        if self.dst_mac is None:
            raise SystemExit("probe-send: no ARP reply")

    def send_tcp(self, seq, ack, flags, payload=b"", window=65535, options=b""):
        thl = 20 + len(options)
        tcp = struct.pack("!HHIIBBHHH", self.sport, self.dport, seq & 0xFFFFFFFF, ack & 0xFFFFFFFF,
                          (thl // 4) << 4, flags, window, 0, 0) + options + payload
        pseudo = self.src_ip + self.dst_ip + struct.pack("!BBH", 0, 6, len(tcp))
        tcp = tcp[:16] + struct.pack("!H", checksum(pseudo + tcp)) + tcp[18:]
        self.ip_id = (self.ip_id + 1) & 0xFFFF
        ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), self.ip_id, 0x4000, 64, 6, 0,
                         self.src_ip, self.dst_ip)
        ip = ip[:10] + struct.pack("!H", checksum(ip)) + ip[12:]
        self.s.send(self.dst_mac + self.src_mac + b"\x08\x00" + ip + tcp)

    def poll(self, timeout):
        """Handle ARP; return the first TCP segment for us as a dict, or None."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            r, _, _ = select.select([self.s], [], [], left)
            if not r:
                return None
            frame, addr = self.s.recvfrom(65535)
            if addr[2] == 4:  # PACKET_OUTGOING
                continue
            etype = struct.unpack_from("!H", frame, 12)[0]
            if etype == 0x0806:
                op, sha, spa, tha, tpa = struct.unpack_from("!6xH6s4s6s4s", frame, 14)
                if tpa == self.src_ip and op == 1:
                    self._arp(2, sha, spa, sha)
                elif op == 2 and spa == self.dst_ip and tpa == self.src_ip:
                    self.dst_mac = sha
                continue
            if etype != 0x0800 or frame[14 + 9] != 6 or frame[14 + 16:14 + 20] != self.src_ip:
                continue
            ihl = (frame[14] & 0x0F) * 4
            t = 14 + ihl
            sport, dport, seq, ack, off, flags, win = struct.unpack_from("!HHIIBBH", frame, t)
            if sport != self.dport or dport != self.sport:
                continue
            total = struct.unpack_from("!H", frame, 16)[0]
            plen = total - ihl - (off >> 4) * 4
            opts = frame[t + 20:t + (off >> 4) * 4]
            mss = None
            i = 0
            while i < len(opts):
                if opts[i] == 0:
                    break
                if opts[i] == 1:
                    i += 1
                    continue
                if opts[i] == 2:
                    mss = struct.unpack_from("!H", opts, i + 2)[0]
                i += max(2, opts[i + 1])
            return {"seq": seq, "ack": ack, "flags": flags, "win": win, "len": plen, "mss": mss}


def cmd_probe_send(a):
    FIN, SYN, RST, PSH, ACK = 0x01, 0x02, 0x04, 0x08, 0x10
    t = TinyTcp(a.ifname, a.src, a.src_mac, a.host, a.sport, a.port)
    t.resolve()
    iss = 0x53464E00
    # SYN: MSS only (no window scaling, SACK or timestamps: keep it simple)
    syn_opts = struct.pack("!BBH", 2, 4, 1460)
    for attempt in range(5):
        t.send_tcp(iss, 0, SYN, options=syn_opts)
        seg = None
        deadline = time.monotonic() + 1.0
        while time.monotonic() < deadline:
            seg = t.poll(deadline - time.monotonic())
            if seg and seg["flags"] & (SYN | ACK) == SYN | ACK and seg["ack"] == (iss + 1) & 0xFFFFFFFF:
                break
            seg = None
        if seg:
            break
    else:
        raise SystemExit("probe-send: no SYN/ACK")
    irs = seg["seq"]
    rcv_nxt = (irs + 1) & 0xFFFFFFFF
    mss = min(1460, seg["mss"] or 536)
    wnd = seg["win"]
    base = iss + 1            # sequence number of data byte 0
    una = nxt = 0             # offsets relative to base
    data = bytes((i * 7 + 13) & 0xFF for i in range(a.bytes))
    t.send_tcp(base, rcv_nxt, ACK)
    rto = 1.0
    last_progress = time.monotonic()
    probe_wait = 0.2
    next_probe = None
    probes = 0
    fin_sent = peer_fin = fin_acked = False

    def seq_off(x):
        return (x - base) & 0xFFFFFFFF

    while True:
        # transmit what the window allows (sender-side SWS avoidance: no
        # sub-MSS segments while data is outstanding)
        while nxt < len(data):
            usable = una + wnd - nxt
            n = min(mss, len(data) - nxt)
            if usable <= 0 or (usable < n and nxt > una):
                break
            n = min(n, usable)
            if nxt == una:
                last_progress = time.monotonic()  # a new flight starts the timer
            flags = ACK | (PSH if nxt + n == len(data) or n < mss else 0)
            t.send_tcp(base + nxt, rcv_nxt, flags, data[nxt:nxt + n])
            nxt += n
        if una == len(data) and not fin_sent:
            t.send_tcp(base + nxt, rcv_nxt, FIN | ACK)
            fin_sent = True
        now = time.monotonic()
        # persist timer: window closed and nothing outstanding -> 1-byte probe
        if wnd == 0 and una == nxt and nxt < len(data):
            if next_probe is None:
                next_probe = now + probe_wait
            elif now >= next_probe:
                t.send_tcp(base + nxt, rcv_nxt, ACK | PSH, data[nxt:nxt + 1])
                probes += 1
                probe_wait = min(probe_wait * 2, 1.6)
                next_probe = now + probe_wait
        else:
            next_probe = None
            probe_wait = 0.2
        # crude go-back-N retransmission timer (no loss is configured for
        # this capture, it only keeps the program from hanging)
        if nxt > una and now - last_progress > rto:
            nxt = una
            last_progress = now
            continue
        if fin_sent and peer_fin and fin_acked:
            break
        timeout = 0.05 if next_probe is None else max(0.0, min(0.05, next_probe - now))
        seg = t.poll(timeout)
        if seg is None:
            continue
        if seg["flags"] & RST:
            raise SystemExit("probe-send: connection reset by peer")
        if seg["flags"] & ACK:
            ack = seq_off(seg["ack"])
            if ack <= len(data) + 1:  # ignore anything not acking our data
                if fin_sent and ack == len(data) + 1:
                    fin_acked = True
                    ack = len(data)
                if ack > una:
                    una = ack
                    last_progress = time.monotonic()
                nxt = max(nxt, una)
                wnd = seg["win"]
        if seg["flags"] & FIN and not peer_fin:
            peer_fin = True
            rcv_nxt = (seg["seq"] + seg["len"] + 1) & 0xFFFFFFFF
            t.send_tcp(base + len(data) + (1 if fin_sent else 0), rcv_nxt, ACK)
    print(f"probe-send: {a.bytes} bytes, {probes} zero-window probes", file=sys.stderr)


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
    ps = sub.add_parser("probe-send")
    ps.add_argument("--ifname", required=True)
    ps.add_argument("--src", required=True)
    ps.add_argument("--src-mac", required=True)
    ps.add_argument("--sport", type=int, default=43210)
    ps.add_argument("--host", required=True)
    ps.add_argument("--port", type=int, required=True)
    ps.add_argument("--bytes", type=int, required=True)
    rs = sub.add_parser("rst-server")
    rs.add_argument("--bind", required=True)
    rs.add_argument("--port", type=int, required=True)
    rc = sub.add_parser("rst-client")
    rc.add_argument("--host", required=True)
    rc.add_argument("--port", type=int, required=True)
    rc.add_argument("--closed-port", type=int, default=0)
    a = p.parse_args()
    {"recv": cmd_recv, "send": cmd_send, "dns-server": cmd_dns_server,
     "dns-query": cmd_dns_query, "ping": cmd_ping, "probe-send": cmd_probe_send, "rst-server": cmd_rst_server,
     "rst-client": cmd_rst_client}[a.cmd](a)


if __name__ == "__main__":
    main()
