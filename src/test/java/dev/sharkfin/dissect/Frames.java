package dev.sharkfin.dissect;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.HexFormat;

/** Builds frames byte by byte for decoder tests: each layer wraps the payload it is given. */
public final class Frames {
    public static final int SYN = 0x02, ACK = 0x10, PSH = 0x08, FIN = 0x01, RST = 0x04;

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    public static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replaceAll("[\\s:]", ""));
    }

    public static byte[] ethernet(String dst, String src, int type, byte[] payload) {
        return concat(hex(dst), hex(src), u16(type), payload);
    }

    public static byte[] vlanTag(int pcp, int vid, int type, byte[] payload) {
        return concat(u16((pcp << 13) | vid), u16(type), payload);
    }

    public static byte[] ipv4(String src, String dst, int proto, byte[] payload) {
        return ipv4(src, dst, proto, 0x4000, new byte[0], payload);
    }

    public static byte[] ipv4(String src, String dst, int proto, int flagsFrag, byte[] options, byte[] payload) {
        int hl = 20 + options.length;
        ByteBuffer b = ByteBuffer.allocate(hl + payload.length);
        b.put((byte) (0x40 | (hl / 4))).put((byte) 0).putShort((short) (hl + payload.length)).putShort((short) 0x1234)
                .putShort((short) flagsFrag).put((byte) 64).put((byte) proto).putShort((short) 0)
                .put(addr(src)).put(addr(dst)).put(options).put(payload);
        return b.array();
    }

    public static byte[] ipv6(String src, String dst, int next, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(40 + payload.length);
        b.putInt(0x60000000).putShort((short) payload.length).put((byte) next).put((byte) 64)
                .put(addr(src)).put(addr(dst)).put(payload);
        return b.array();
    }

    public static byte[] tcp(int sport, int dport, long seq, long ack, int flags, int window, byte[] options, byte[] payload) {
        int hl = 20 + options.length;
        ByteBuffer b = ByteBuffer.allocate(hl + payload.length);
        b.putShort((short) sport).putShort((short) dport).putInt((int) seq).putInt((int) ack)
                .putShort((short) (((hl / 4) << 12) | flags)).putShort((short) window).putShort((short) 0).putShort((short) 0)
                .put(options).put(payload);
        return b.array();
    }

    public static byte[] udp(int sport, int dport, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(8 + payload.length);
        b.putShort((short) sport).putShort((short) dport).putShort((short) (8 + payload.length)).putShort((short) 0).put(payload);
        return b.array();
    }

    public static byte[] u16(int v) {
        return new byte[] {(byte) (v >>> 8), (byte) v};
    }

    public static byte[] addr(String a) {
        try {
            return InetAddress.getByName(a).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(a, e);
        }
    }

    private Frames() {
    }
}
