package dev.sharkfin.tcp;

import java.util.ArrayList;
import java.util.List;

import dev.sharkfin.dissect.TcpSegment;

/**
 * The FTP data connections a passive-mode reply announces. Wireshark's FTP dissector opens the data connection's
 * conversation when it reads "227 Entering Passive Mode (h1,h2,h3,h4,p1,p2)" or "229 Entering Extended Passive
 * Mode (|||port|)" (server address and port, the client's address, any client port), so the data connection's
 * SYN finds an existing conversation and counts as no SYN in tcp.completeness. Sharkfin does not decode FTP; it
 * reads just these two replies from the control connection's server side (port 21) to do the same.
 *
 * <p>Announcements wait for their connection; at most {@link #MAX_PENDING} do (the oldest is forgotten first), so a
 * capture of endless replies neither grows memory nor makes each new conversation's lookup longer. Wireshark keeps
 * them all: a data connection opened after {@value #MAX_PENDING} newer announcements counts its SYN here.
 */
final class FtpDataConversations {
    private static final int FTP_PORT = 21;
    static final int MAX_PENDING = 1024;

    private record Expected(int addrLen, long server0, long server1, int port, long client0, long client1) {
    }

    private final List<Expected> expected = new ArrayList<>();

    /** Notes the data connection announced by this segment, if it is a server's passive-mode reply. */
    void read(TcpSegment s) {
        if (s.srcPort != FTP_PORT || s.payload == null || s.payloadCaptured < 8 || s.payloadLength <= 0) {
            return;
        }
        byte[] b = s.payload;
        int o = s.payloadOffset;
        int n = s.payloadCaptured;
        if (b[o] != '2' || b[o + 1] != '2' || b[o + 3] != ' ' || b[o + 2] != '7' && b[o + 2] != '9') {
            return;
        }
        int paren = indexOf(b, o, n, '(');
        long client0 = ConvKey.pack(s.data, s.dstAddressOffset, s.addressLength, 0);
        long client1 = ConvKey.pack(s.data, s.dstAddressOffset, s.addressLength, 8);
        if (b[o + 2] == '9') {
            // (<d><d><d>port<d>): the server's own address.
            int at = paren + 4;
            int port = number(b, o, n, at);
            if (paren >= 0 && port > 0 && port < 65536) {
                expect(new Expected(s.addressLength, ConvKey.pack(s.data, s.srcAddressOffset, s.addressLength, 0),
                        ConvKey.pack(s.data, s.srcAddressOffset, s.addressLength, 8), port, client0, client1));
            }
            return;
        }
        // h1,h2,h3,h4,p1,p2, in parentheses or after the text.
        int at = paren >= 0 ? paren + 1 : firstDigit(b, o, n);
        int[] v = new int[6];
        for (int i = 0; i < 6; i++) {
            if (at < 0 || at >= n) {
                return;
            }
            v[i] = number(b, o, n, at);
            if (v[i] < 0 || v[i] > 255) {
                return;
            }
            int comma = indexOf(b, o + at, n - at, ',');
            at = comma < 0 ? -1 : at + comma + 1;
        }
        long server0 = ((long) v[0] << 56) | ((long) v[1] << 48) | ((long) v[2] << 40) | ((long) v[3] << 32);
        if (s.addressLength == 4) {
            expect(new Expected(4, server0, 0, v[4] * 256 + v[5], client0, client1));
        }
    }

    private void expect(Expected e) {
        if (expected.size() == MAX_PENDING) {
            expected.remove(0);
        }
        expected.add(e);
    }

    /** Whether a new conversation is an announced data connection; it is one only once. */
    boolean claim(TcpSegment s) {
        if (expected.isEmpty()) {
            return false;
        }
        int len = s.addressLength;
        long src0 = ConvKey.pack(s.data, s.srcAddressOffset, len, 0), src1 = ConvKey.pack(s.data, s.srcAddressOffset, len, 8);
        long dst0 = ConvKey.pack(s.data, s.dstAddressOffset, len, 0), dst1 = ConvKey.pack(s.data, s.dstAddressOffset, len, 8);
        for (int i = expected.size() - 1; i >= 0; i--) {
            Expected e = expected.get(i);
            if (e.addrLen() != len) {
                continue;
            }
            boolean toServer = e.server0() == dst0 && e.server1() == dst1 && e.port() == s.dstPort
                    && e.client0() == src0 && e.client1() == src1;
            boolean fromServer = e.server0() == src0 && e.server1() == src1 && e.port() == s.srcPort
                    && e.client0() == dst0 && e.client1() == dst1;
            if (toServer || fromServer) {
                expected.remove(i);
                return true;
            }
        }
        return false;
    }

    /** The offset (from {@code o}) of {@code c} in the {@code n} bytes at {@code o}, or -1. */
    private static int indexOf(byte[] b, int o, int n, int c) {
        for (int i = 0; i < n; i++) {
            if (b[o + i] == c) {
                return i;
            }
        }
        return -1;
    }

    private static int firstDigit(byte[] b, int o, int n) {
        for (int i = 4; i < n; i++) {
            if (b[o + i] >= '0' && b[o + i] <= '9') {
                return i;
            }
        }
        return -1;
    }

    /** The decimal number at offset {@code at}, or -1 when none is there. */
    private static int number(byte[] b, int o, int n, int at) {
        int v = -1;
        for (int i = at; i >= 0 && i < n && b[o + i] >= '0' && b[o + i] <= '9' && v < 65536; i++) {
            v = (v < 0 ? 0 : v * 10) + (b[o + i] - '0');
        }
        return v;
    }
}
