package dev.sharkfin.dissect;

import java.nio.charset.StandardCharsets;

/**
 * TLS records and the unencrypted handshake (ClientHello, ServerHello), per TCP segment: the records
 * that start in the segment are listed ({@code tls_record_*} become arrays), the last one possibly cut
 * by the segment's end, in which case what is there is decoded. A segment that does not start with a
 * record header continues a record of an earlier segment and adds nothing (no reassembly).
 *
 * <p>Without per-connection state, a handshake record is taken as encrypted (TLS 1.3's, or a Finished
 * after ChangeCipherSpec) when an earlier record of the same segment was a ChangeCipherSpec or its first
 * message does not parse as a known handshake type whose length fits the record. TLS 1.3's protected
 * records carry their type as {@code tls_record_opaque_type}, as Wireshark shows them, when the segment
 * itself tells the version (see {@link #decode}); otherwise as {@code tls_record_content_type}.
 */
public final class Tls implements Decoder {
    static final int CHANGE_CIPHER_SPEC = 20, ALERT = 21, HANDSHAKE = 22, APPLICATION_DATA = 23, HEARTBEAT = 24;
    static final int CLIENT_HELLO = 1, SERVER_HELLO = 2;
    private static final int MAX_RECORD = 16384 + 2048;

    private static final Tls DECODER = new Tls();
    public static final Protocol PROTOCOL = Protocol.of("tls", "Transport Layer Security")
            .tcpPort(443, DECODER)
            .tcpPort(8443, DECODER)
            .tcpPort(993, DECODER)
            .tcpPort(995, DECODER)
            .tcpPort(465, DECODER)
            .tcpPort(636, DECODER)
            .tcpPort(853, DECODER)
            .tcpHeuristic(1, Tls::looksLikeTls, DECODER);
    public static final Field RECORD_CONTENT_TYPE = PROTOCOL.number("tls.record.content_type",
            "Record content type, per record (20: change cipher spec, 21: alert, 22: handshake, 23: application data)").list();
    public static final Field RECORD_OPAQUE_TYPE = PROTOCOL.number("tls.record.opaque_type",
            "TLS 1.3 protected record: its outer content type (23), per record").list();
    public static final Field RECORD_VERSION = PROTOCOL.number("tls.record.version", "Record version, per record (0x0303: TLS 1.2)").list();
    public static final Field RECORD_LENGTH = PROTOCOL.number("tls.record.length", "Record length in bytes, per record").list();
    public static final Field HANDSHAKE_TYPE = PROTOCOL.number("tls.handshake.type",
            "Handshake message type, per message (1: ClientHello, 2: ServerHello, 11: Certificate)").list();
    public static final Field HANDSHAKE_LENGTH = PROTOCOL.number("tls.handshake.length", "Handshake message length, per message").list();
    public static final Field HANDSHAKE_VERSION = PROTOCOL.number("tls.handshake.version", "Hello's version (0x0303: TLS 1.2)").list();
    public static final Field HANDSHAKE_CIPHER_SUITES_LENGTH = PROTOCOL.number("tls.handshake.cipher_suites_length",
            "ClientHello: cipher suites length, in bytes");
    public static final Field HANDSHAKE_CIPHERSUITE = PROTOCOL.number("tls.handshake.ciphersuite",
            "Cipher suite: each the client offers, or the one the server chose").list();
    public static final Field HANDSHAKE_RANDOM = PROTOCOL.bytes("tls.handshake.random",
            "Hello's 32 random bytes, as hex").list().storedOnly();
    public static final Field HANDSHAKE_SESSION_ID = PROTOCOL.bytes("tls.handshake.session_id",
            "Hello's session id, as hex (when not empty): a resumption offers or accepts one").list();
    public static final Field HANDSHAKE_SESSION_ID_LENGTH = PROTOCOL.number("tls.handshake.session_id_length", "Hello's session id length, in bytes").list();
    public static final Field HANDSHAKE_COMP_METHOD = PROTOCOL.number("tls.handshake.comp_method",
            "Compression method: each a ClientHello offers, the one a ServerHello selects (0: none)").list();
    public static final Field HANDSHAKE_EXTENSIONS_LENGTH = PROTOCOL.number("tls.handshake.extensions_length", "Hello's extensions length, in bytes").list();
    public static final Field HANDSHAKE_EXTENSION_LEN = PROTOCOL.number("tls.handshake.extension.len", "Hello extension length in bytes, per extension").list();
    public static final Field HANDSHAKE_EXTENSIONS_SUPPORTED_GROUP = PROTOCOL.number("tls.handshake.extensions_supported_group",
            "supported_groups extension: each group offered (0x001d: x25519, 0x0017: secp256r1)").list();
    public static final Field HANDSHAKE_EXTENSIONS_EC_POINT_FORMAT = PROTOCOL.number("tls.handshake.extensions_ec_point_format",
            "ec_point_formats extension: each format (0: uncompressed)").list();
    public static final Field HANDSHAKE_SIG_HASH_ALG = PROTOCOL.number("tls.handshake.sig_hash_alg",
            "signature_algorithms extension: each signature scheme (0x0804: rsa_pss_rsae_sha256)").list();
    public static final Field HANDSHAKE_EXTENSIONS_KEY_SHARE_GROUP = PROTOCOL.number("tls.handshake.extensions_key_share_group",
            "key_share extension: each share's group (29: x25519)").list();
    public static final Field HANDSHAKE_JA3_FULL = PROTOCOL.keyword("tls.handshake.ja3_full",
            "ClientHello's JA3 string: version, cipher suites, extensions, groups, point formats (GREASE left out)");
    public static final Field HANDSHAKE_JA3 = PROTOCOL.keyword("tls.handshake.ja3", "ClientHello's JA3 fingerprint: the MD5 of its JA3 string");
    public static final Field HANDSHAKE_JA3S_FULL = PROTOCOL.keyword("tls.handshake.ja3s_full",
            "ServerHello's JA3S string: version, cipher suite, extensions");
    public static final Field HANDSHAKE_JA3S = PROTOCOL.keyword("tls.handshake.ja3s", "ServerHello's JA3S fingerprint: the MD5 of its JA3S string");
    public static final Field HANDSHAKE_EXTENSION_TYPE = PROTOCOL.number("tls.handshake.extension.type", "Hello extension type, per extension").list();
    public static final Field HANDSHAKE_EXTENSIONS_SERVER_NAME = PROTOCOL.keyword("tls.handshake.extensions_server_name",
            "Server name indication (SNI)");
    public static final Field HANDSHAKE_EXTENSIONS_ALPN_STR = PROTOCOL.keyword("tls.handshake.extensions_alpn_str",
            "ALPN protocol, each offered or the one chosen (h2, http/1.1)").list();
    public static final Field HANDSHAKE_EXTENSIONS_SUPPORTED_VERSION = PROTOCOL.number("tls.handshake.extensions.supported_version",
            "Supported version: each the client offers, or the one the server chose (0x0304: TLS 1.3)").list();

    @Override
    public int decode(Cursor c, Packet p) {
        int n = c.remaining();
        if (!isRecord(c, 0, n)) {
            if (n >= 3 && (c.u8(0) & 0x80) != 0) {
                sslv2(c, p, n);
            }
            return Dispatch.STOP;
        }
        p.layer(PROTOCOL);
        int at = 0;
        boolean encrypted = false;
        boolean tls13 = false;
        int previous = -1;
        while (at + 5 <= n && isRecord(c, at, n)) {
            int type = c.u8(at);
            int length = c.u16(at + 3);
            // TLS 1.3 is known within the segment from a ServerHello that selects it, or from application data
            // right after ChangeCipherSpec (TLS 1.2 sends its Finished there). Its protected records' type is
            // then only an outer one, which Wireshark calls the opaque type.
            tls13 |= type == APPLICATION_DATA && previous == CHANGE_CIPHER_SPEC;
            p.uint(tls13 && type == APPLICATION_DATA ? RECORD_OPAQUE_TYPE : RECORD_CONTENT_TYPE, type);
            previous = type;
            p.hex(RECORD_VERSION, c.u16(at + 1), 4);
            p.uint(RECORD_LENGTH, length);
            int body = at + 5;
            int end = Math.min(n, body + length);
            if (type == HANDSHAKE) {
                if (encrypted || !plausibleHandshake(c, body, end, length)) {
                    encrypted = true;
                } else {
                    tls13 |= handshakes(c, p, body, end);
                }
            } else if (type == CHANGE_CIPHER_SPEC) {
                encrypted = true;
            }
            at = body + length;
        }
        return Dispatch.STOP;
    }

    /**
     * Wireshark's TLS heuristic for a TCP payload no port claims: a handshake or application data record
     * header with an SSL 3.0 to TLS 1.2 (or GM/T) version and a sane length, or an SSLv2-compatible
     * ClientHello.
     */
    static boolean looksLikeTls(Cursor c) {
        int n = c.remaining();
        if (n >= 5) {
            int type = c.u8(0);
            int version = c.u16(1);
            int length = c.u16(3);
            if ((type == HANDSHAKE || type == APPLICATION_DATA) && (version >= 0x0300 && version <= 0x0303 || version == 0x0101)
                    && length > 0 && length < 16384 + 2048) {
                return true;
            }
        }
        if (n < 46 || c.u8(0) != 0x80 || c.u8(2) != CLIENT_HELLO) {
            return false;
        }
        int specs = c.u16(5);
        int sessionId = c.u16(7);
        return specs != 0 && specs % 3 == 0 && (sessionId == 0 || sessionId == 16) && c.u16(9) == 32;
    }

    /**
     * An SSL 2.0 record with a two-byte header. Its message type (and the version of a hello) is shown only
     * when the message's own lengths add up to the record, since an encrypted record looks the same.
     */
    private static void sslv2(Cursor c, Packet p, int n) {
        int length = ((c.u8(0) & 0x7f) << 8) | c.u8(1);
        if (length == 0 || 2 + length != n) {
            return; // an SSLv2 record is taken only when it fills the segment exactly
        }
        p.layer(PROTOCOL);
        p.hex(RECORD_VERSION, 0x0002, 4);
        p.uint(RECORD_LENGTH, length);
        int end = Math.min(n, 2 + length);
        int type = c.u8(2);
        boolean plain = switch (type) {
            case 1 -> end >= 11 && 11 + c.u16(5) + c.u16(7) + c.u16(9) == 2 + length;       // ClientHello
            case 2 -> end >= 12 && 12 + c.u16(6) + c.u16(8) + c.u16(10) == 2 + length;      // ClientMasterKey
            case 4 -> end >= 13 && 13 + c.u16(7) + c.u16(9) + c.u16(11) == 2 + length;      // ServerHello
            default -> false;
        };
        if (!plain) {
            return;
        }
        p.uint(HANDSHAKE_TYPE, type);
        if (type == 1) {
            p.hex(HANDSHAKE_VERSION, c.u16(3), 4);
            p.uint(HANDSHAKE_SESSION_ID_LENGTH, c.u16(7));
        } else if (type == 4) {
            p.hex(HANDSHAKE_VERSION, c.u16(5), 4);
        }
    }

    /** A record header: a known content type and a TLS (3.x) version. */
    private static boolean isRecord(Cursor c, int at, int n) {
        if (at + 5 > n) {
            return false; // a record header cut by the segment's end
        }
        int type = c.u8(at);
        // Longer than 2^14 + 2048 is no record (RFC 8446 5.2): Wireshark ignores it as an unknown record.
        return type >= CHANGE_CIPHER_SPEC && type <= HEARTBEAT && c.u8(at + 1) == 3 && c.u8(at + 2) <= 4
                && c.u16(at + 3) <= MAX_RECORD;
    }

    private static boolean plausibleHandshake(Cursor c, int body, int end, int recordLength) {
        if (body + 4 > end) {
            return body < end && known(c.u8(body));
        }
        int type = c.u8(body);
        long len = ((long) c.u8(body + 1) << 16) | c.u16(body + 2);
        return known(type) && (len + 4 <= recordLength || recordLength < 4);
    }

    private static boolean known(int type) {
        return switch (type) {
            case 0, 1, 2, 3, 4, 5, 6, 8, 11, 12, 13, 14, 15, 16, 20, 21, 22, 23, 24, 25, 67, 254 -> true;
            default -> false;
        };
    }

    /** The handshake messages of one record; true when a ServerHello among them selects TLS 1.3. */
    private static boolean handshakes(Cursor c, Packet p, int at, int end) {
        boolean tls13 = false;
        while (at + 4 <= end) {
            int type = c.u8(at);
            int len = (c.u8(at + 1) << 16) | c.u16(at + 2);
            p.uint(HANDSHAKE_TYPE, type);
            p.uint(HANDSHAKE_LENGTH, len);
            int body = at + 4;
            int stop = (int) Math.min(end, (long) body + len);
            if (type == CLIENT_HELLO || type == SERVER_HELLO) {
                tls13 |= hello(c, p, type == CLIENT_HELLO, body, stop) == 0x0304;
            }
            at = body + len;
        }
        if (at < end) {
            p.uint(HANDSHAKE_TYPE, c.u8(at));
        }
        return tls13;
    }

    /**
     * A ClientHello or ServerHello from {@code at} to {@code end}; stops quietly where the bytes end.
     * Returns the version a ServerHello's supported_versions extension selects, or 0.
     */
    private static int hello(Cursor c, Packet p, boolean client, int at, int end) {
        int selected = 0;
        if (at + 2 > end) {
            return selected;
        }
        Ja3 ja3 = new Ja3(c.u16(at));
        p.hex(HANDSHAKE_VERSION, c.u16(at), 4);
        if (at + 34 <= end) {
            p.bytes(HANDSHAKE_RANDOM, Packet.BYTES, c.pos() + at + 2, 32);
        }
        at += 2 + 32;
        if (at + 1 > end) {
            return selected;
        }
        int sid = c.u8(at);
        p.uint(HANDSHAKE_SESSION_ID_LENGTH, sid);
        if (sid > 0 && at + 1 + sid <= end) {
            p.bytes(HANDSHAKE_SESSION_ID, Packet.BYTES, c.pos() + at + 1, sid);
        }
        at += 1 + sid;
        if (client) {
            if (at + 2 > end) {
                return selected;
            }
            int suitesLen = c.u16(at);
            at += 2;
            p.uint(HANDSHAKE_CIPHER_SUITES_LENGTH, suitesLen);
            int suitesEnd = at + suitesLen;
            for (int i = at; i + 2 <= Math.min(suitesEnd, end); i += 2) {
                p.hex(HANDSHAKE_CIPHERSUITE, c.u16(i), 4);
                ja3.add(ja3.ciphers, c.u16(i));
            }
            at = suitesEnd;
            if (at + 1 > end) {
                return selected;
            }
            int methods = c.u8(at);
            for (int i = at + 1; i < Math.min(at + 1 + methods, end); i++) {
                p.uint(HANDSHAKE_COMP_METHOD, c.u8(i));
            }
            at += 1 + methods;
            if (at > end) {
                return selected;
            }
        } else {
            if (at + 3 > end) {
                return selected;
            }
            p.hex(HANDSHAKE_CIPHERSUITE, c.u16(at), 4);
            ja3.add(ja3.ciphers, c.u16(at));
            p.uint(HANDSHAKE_COMP_METHOD, c.u8(at + 2));
            at += 3;
        }
        if (at + 2 > end) {
            ja3.write(p, client);
            return selected;
        }
        p.uint(HANDSHAKE_EXTENSIONS_LENGTH, c.u16(at));
        int extEnd = Math.min(end, at + 2 + c.u16(at));
        at += 2;
        while (at + 4 <= extEnd) {
            int type = c.u16(at);
            int len = c.u16(at + 2);
            int data = at + 4;
            int stop = Math.min(extEnd, data + len);
            p.uint(HANDSHAKE_EXTENSION_TYPE, type);
            p.uint(HANDSHAKE_EXTENSION_LEN, len);
            ja3.add(ja3.extensions, type);
            switch (type) {
                case 0 -> serverName(c, p, data, stop);
                case 10 -> {
                    list16(c, p, data, stop, HANDSHAKE_EXTENSIONS_SUPPORTED_GROUP);
                    for (int i = data + 2; i + 2 <= Math.min(stop, data + 2 + (data + 2 <= stop ? c.u16(data) : 0)); i += 2) {
                        ja3.add(ja3.groups, c.u16(i));
                    }
                }
                case 11 -> {
                    for (int i = data + 1; i < Math.min(stop, data + 1 + (data < stop ? c.u8(data) : 0)); i++) {
                        p.uint(HANDSHAKE_EXTENSIONS_EC_POINT_FORMAT, c.u8(i));
                        ja3.add(ja3.pointFormats, c.u8(i));
                    }
                }
                case 13 -> list16(c, p, data, stop, HANDSHAKE_SIG_HASH_ALG);
                case 51 -> keyShare(c, p, client, data, stop);
                case 16 -> alpn(c, p, data, stop);
                case 43 -> {
                    if (client) {
                        for (int i = data + 1; i + 2 <= Math.min(stop, data + 1 + (data < stop ? c.u8(data) : 0)); i += 2) {
                            p.hex(HANDSHAKE_EXTENSIONS_SUPPORTED_VERSION, c.u16(i), 4);
                        }
                    } else if (data + 2 <= stop) {
                        selected = c.u16(data);
                        p.hex(HANDSHAKE_EXTENSIONS_SUPPORTED_VERSION, selected, 4);
                    }
                }
                default -> {
                }
            }
            at = data + len;
        }
        ja3.write(p, client);
        return selected;
    }

    /**
     * JA3 (ClientHello) and JA3S (ServerHello) as Wireshark 4.0 computes them: decimal values joined by dashes,
     * GREASE values (RFC 8701: 0x?a?a with equal bytes) left out; the fingerprint is the string's MD5 in hex.
     * Built once per hello message (a few strings), not per field.
     */
    private static final class Ja3 {
        final int version;
        final StringBuilder ciphers = new StringBuilder();
        final StringBuilder extensions = new StringBuilder();
        final StringBuilder groups = new StringBuilder();
        final StringBuilder pointFormats = new StringBuilder();

        Ja3(int version) {
            this.version = version;
        }

        void add(StringBuilder list, int value) {
            if ((value & 0x0f0f) == 0x0a0a && (value >>> 8) == (value & 0xff)) {
                return;
            }
            if (!list.isEmpty()) {
                list.append('-');
            }
            list.append(value);
        }

        void write(Packet p, boolean client) {
            String full = client
                    ? version + "," + ciphers + "," + extensions + "," + groups + "," + pointFormats
                    : version + "," + ciphers + "," + extensions;
            p.string(client ? HANDSHAKE_JA3_FULL : HANDSHAKE_JA3S_FULL, full);
            p.string(client ? HANDSHAKE_JA3 : HANDSHAKE_JA3S, md5(full));
        }

        private static final ThreadLocal<java.security.MessageDigest> MD5 = ThreadLocal.withInitial(() -> {
            try {
                return java.security.MessageDigest.getInstance("MD5");
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException("MD5 is a required JDK algorithm", e);
            }
        });

        private static String md5(String s) {
            return java.util.HexFormat.of().formatHex(MD5.get().digest(s.getBytes(StandardCharsets.US_ASCII)));
        }
    }

    /** A list of 16-bit values after its 16-bit length, as hex; what the bytes hold of it. */
    private static void list16(Cursor c, Packet p, int at, int end, Field key) {
        if (at + 2 > end) {
            return;
        }
        int stop = Math.min(end, at + 2 + c.u16(at));
        for (int i = at + 2; i + 2 <= stop; i += 2) {
            p.hex(key, c.u16(i), 4);
        }
    }

    /** key_share: a ClientHello's list of (group, key) entries; a ServerHello's one entry (or a HelloRetryRequest's group). */
    private static void keyShare(Cursor c, Packet p, boolean client, int at, int end) {
        if (!client) {
            if (at + 2 <= end) {
                p.uint(HANDSHAKE_EXTENSIONS_KEY_SHARE_GROUP, c.u16(at));
            }
            return;
        }
        if (at + 2 > end) {
            return;
        }
        int stop = Math.min(end, at + 2 + c.u16(at));
        for (int i = at + 2; i + 4 <= stop; i += 4 + c.u16(i + 2)) {
            p.uint(HANDSHAKE_EXTENSIONS_KEY_SHARE_GROUP, c.u16(i));
        }
    }

    private static void serverName(Cursor c, Packet p, int at, int end) {
        int i = at + 2;
        while (i + 3 <= end) {
            int type = c.u8(i);
            int len = c.u16(i + 1);
            if (i + 3 + len > end) {
                return;
            }
            if (type == 0) {
                p.string(HANDSHAKE_EXTENSIONS_SERVER_NAME, text(c, i + 3, len));
            }
            i += 3 + len;
        }
    }

    private static void alpn(Cursor c, Packet p, int at, int end) {
        int i = at + 2;
        while (i + 1 <= end) {
            int len = c.u8(i);
            if (i + 1 + len > end) {
                return;
            }
            p.string(HANDSHAKE_EXTENSIONS_ALPN_STR, text(c, i + 1, len));
            i += 1 + len;
        }
    }

    private static String text(Cursor c, int at, int len) {
        return new String(c.data(), c.pos() + at, len, StandardCharsets.UTF_8);
    }
}
