package dev.sharkfin.dissect;

import java.nio.charset.StandardCharsets;

/**
 * DHCP (RFC 2131/2132) and plain BOOTP: the fixed header, then, after the magic cookie, the options.
 * Every option adds {@code dhcp_option_type} (a list in wire order); pad bytes add nothing and the end
 * option adds type 0, as Wireshark records it.
 */
public final class Dhcp implements Decoder {
    public static final Protocol PROTOCOL = Protocol.of("dhcp", "Dynamic Host Configuration Protocol")
            .udpPort(67, new Dhcp())
            .udpPort(68, new Dhcp());
    public static final Field TYPE = PROTOCOL.number("dhcp.type", "Message type (1: boot request, 2: boot reply)");
    public static final Field HW_TYPE = PROTOCOL.number("dhcp.hw.type", "Hardware type (1: Ethernet); again for option 61's "
            + "hardware client identifier");
    public static final Field HW_LEN = PROTOCOL.number("dhcp.hw.len", "Hardware address length, in bytes");
    public static final Field HOPS = PROTOCOL.number("dhcp.hops", "Relay hops");
    public static final Field ID = PROTOCOL.number("dhcp.id", "Transaction id");
    public static final Field SECS = PROTOCOL.number("dhcp.secs", "Seconds elapsed since the client began (little-endian when that "
            + "reads 1 to 255, as Windows sends it; else big-endian)");
    public static final Field FLAGS = PROTOCOL.number("dhcp.flags", "Flags (0x8000: broadcast)");
    public static final Field FLAGS_BC = PROTOCOL.bool("dhcp.flags.bc", "Broadcast flag: the client wants the reply broadcast");
    public static final Field IP_CLIENT = PROTOCOL.ip("dhcp.ip.client", "Client address (ciaddr)");
    public static final Field IP_YOUR = PROTOCOL.ip("dhcp.ip.your", "Your (client) address (yiaddr)");
    public static final Field IP_SERVER = PROTOCOL.ip("dhcp.ip.server", "Next server address (siaddr)");
    public static final Field IP_RELAY = PROTOCOL.ip("dhcp.ip.relay", "Relay agent address (giaddr)");
    public static final Field HW_MAC_ADDR = PROTOCOL.mac("dhcp.hw.mac_addr", "Client MAC address (chaddr); again for option "
            + "61's Ethernet client identifier");
    public static final Field OPTION_TYPE = PROTOCOL.number("dhcp.option.type", "Option code, per option in wire order (0 for the end option)").list();
    public static final Field OPTION_LENGTH = PROTOCOL.number("dhcp.option.length", "Option length, per option").list();
    public static final Field OPTION_DHCP = PROTOCOL.number("dhcp.option.dhcp", "Option 53: DHCP message type (1: discover, 2: offer, 3: request, 5: ack)");
    public static final Field OPTION_REQUESTED_IP_ADDRESS = PROTOCOL.ip("dhcp.option.requested_ip_address", "Option 50: requested address");
    public static final Field OPTION_DHCP_SERVER_ID = PROTOCOL.ip("dhcp.option.dhcp_server_id", "Option 54: server identifier");
    public static final Field OPTION_SUBNET_MASK = PROTOCOL.ip("dhcp.option.subnet_mask", "Option 1: subnet mask");
    public static final Field OPTION_ROUTER = PROTOCOL.ip("dhcp.option.router", "Option 3: routers").list();
    public static final Field OPTION_DOMAIN_NAME_SERVER = PROTOCOL.ip("dhcp.option.domain_name_server", "Option 6: DNS servers").list();
    public static final Field OPTION_NTP_SERVER = PROTOCOL.ip("dhcp.option.ntp_server", "Option 42: NTP servers").list();
    public static final Field OPTION_HOSTNAME = PROTOCOL.keyword("dhcp.option.hostname", "Option 12: host name");
    public static final Field OPTION_DOMAIN_NAME = PROTOCOL.keyword("dhcp.option.domain_name", "Option 15: domain name");
    public static final Field OPTION_VENDOR_CLASS_ID = PROTOCOL.keyword("dhcp.option.vendor_class_id", "Option 60: vendor class identifier");
    public static final Field OPTION_IP_ADDRESS_LEASE_TIME = PROTOCOL.number("dhcp.option.ip_address_lease_time", "Option 51: lease time, in seconds");
    public static final Field OPTION_REQUEST_LIST_ITEM = PROTOCOL.number("dhcp.option.request_list_item", "Option 55: a requested option's code, per item").list();

    private static final long MAGIC = 0x63825363L;
    private static final Field[] ADDRESSES = {IP_CLIENT, IP_YOUR, IP_SERVER, IP_RELAY};

    @Override
    public int decode(Cursor c, Packet p) {
        p.layer(PROTOCOL);
        if (!c.need(3)) {
            return Decoder.missing(c, p, 3, "DHCP header");
        }
        int htype = c.u8(1);
        int hlen = c.u8(2);
        if (c.u8(0) == 1 && hlen > 0 && !c.need(28 + hlen)) {
            // A boot request's summary reads the client's address before anything is shown.
            return Decoder.missing(c, p, 28 + hlen, "DHCP client hardware address");
        }
        // The options start after the magic cookie, or after BOOTP's 64 bytes of vendor data without it.
        int voff = c.need(240) && c.u32(236) == MAGIC ? 240 : 300;
        if (firstPassCut(c, voff)) {
            p.truncated(); // Wireshark's first pass over the options met the snapshot length: no field shown
            return Dispatch.STOP;
        }
        int stop = header(c, p, htype, hlen);
        if (stop != 0) {
            return stop;
        }
        return options(c, p, voff);
    }

    /**
     * Wireshark's first pass over the options (for the message type, before any field): it reads each option's
     * code, and pad bytes up to the next non-zero byte, up to the end option or the datagram's reported end.
     * True when that walk reaches a byte that was not captured, which Wireshark finds truncated.
     */
    static boolean firstPassCut(Cursor c, int voff) {
        int eoff = c.reported();
        int n = c.remaining();
        int i = voff;
        while (i < eoff) {
            if (i >= n) {
                return true;
            }
            int code = c.u8(i);
            if (code == 255) {
                return false;
            }
            if (code == 0) {
                int j = i + 1;
                while (j < eoff && (j >= n || c.u8(j) == 0)) {
                    if (j >= n) {
                        return true;
                    }
                    j++;
                }
                i = j;
            } else {
                i += i + 1 < n ? c.u8(i + 1) + 2 : 1; // a length byte not captured counts the code only
            }
        }
        return false;
    }

    /** The fixed header, field by field as far as its bytes go; 0, or the answer when they ran out. */
    private int header(Cursor c, Packet p, int htype, int hlen) {
        int at = c.pos();
        p.uint(TYPE, c.u8(0));
        p.uint(HW_TYPE, htype);
        p.uint(HW_LEN, hlen);
        if (!c.need(4)) {
            return Decoder.missing(c, p, 4, "DHCP header");
        }
        p.uint(HOPS, c.u8(3));
        if (!c.need(12)) {
            return Decoder.missing(c, p, 12, "DHCP header");
        }
        p.hex(ID, c.u32(4), 8);
        int secs = secs(c);
        p.uint(SECS, secs);
        if (secs != c.u16(8)) {
            p.expert(SECS_LITTLE_ENDIAN); // Wireshark's note on the value it read the other way round
        }
        p.hex(FLAGS, c.u16(10), 4);
        p.bool(FLAGS_BC, (c.u8(10) & 0x80) != 0);
        for (int i = 0; i < ADDRESSES.length; i++) {
            if (!c.need(16 + 4 * i)) {
                return Decoder.missing(c, p, 16 + 4 * i, "DHCP header");
            }
            p.bytes(ADDRESSES[i], Packet.IPV4, at + 12 + 4 * i, 4);
        }
        if (hlen > 0 && hlen <= 16) {
            // The address and the rest of the 16-byte chaddr field (its padding) are shown.
            if (!c.need(44)) {
                return Decoder.missing(c, p, 44, "DHCP client hardware address");
            }
            if ((htype == 1 || htype == 6) && hlen == 6) {
                p.bytes(HW_MAC_ADDR, Packet.MAC, at + 28, 6);
            }
        }
        // The server name and boot file: their first byte is read, and the whole field shown when it is set.
        if (!c.need(45) || c.u8(44) != 0 && !c.need(108) || !c.need(109) || c.u8(108) != 0 && !c.need(236)) {
            int n = !c.need(45) ? 45 : c.u8(44) != 0 && !c.need(108) ? 108 : !c.need(109) ? 109 : 236;
            return Decoder.missing(c, p, n, "DHCP header");
        }
        if (!(c.need(240) && c.u32(236) == MAGIC) && !c.need(300)) {
            return Decoder.missing(c, p, 300, "BOOTP vendor-specific data"); // BOOTP's 64 bytes of it
        }
        return 0;
    }

    private static int options(Cursor c, Packet p, int voff) {
        int n = c.remaining();
        int i = voff;
        while (i < n) {
            int code = c.u8(i);
            if (code == 0) {
                i++;
                continue;
            }
            if (code == 255) {
                p.uint(OPTION_TYPE, 0);
                break;
            }
            if (i + 2 > n || i + 2 + c.u8(i + 1) > n) {
                p.uint(OPTION_TYPE, code);
                return Decoder.missing(c, p, n + 1, "DHCP option " + code);
            }
            int len = c.u8(i + 1);
            p.uint(OPTION_TYPE, code);
            p.uint(OPTION_LENGTH, len);
            option(c, p, code, i + 2, len);
            i += 2 + len;
        }
        return Dispatch.STOP;
    }

    private static void option(Cursor c, Packet p, int code, int v, int len) {
        int at = c.pos();
        switch (code) {
            case 53 -> {
                if (len == 1) {
                    p.uint(OPTION_DHCP, c.u8(v));
                }
            }
            case 50 -> address(p, OPTION_REQUESTED_IP_ADDRESS, at + v, len);
            case 54 -> address(p, OPTION_DHCP_SERVER_ID, at + v, len);
            case 1 -> address(p, OPTION_SUBNET_MASK, at + v, len);
            case 3 -> addresses(p, OPTION_ROUTER, at + v, len);
            case 6 -> addresses(p, OPTION_DOMAIN_NAME_SERVER, at + v, len);
            case 42 -> addresses(p, OPTION_NTP_SERVER, at + v, len);
            case 12 -> p.string(OPTION_HOSTNAME, text(c, v, len));
            case 15 -> p.string(OPTION_DOMAIN_NAME, text(c, v, len));
            case 60 -> p.string(OPTION_VENDOR_CLASS_ID, text(c, v, len));
            case 61 -> clientIdentifier(c, p, v, len);
            case 51 -> {
                if (len == 4) {
                    p.uint(OPTION_IP_ADDRESS_LEASE_TIME, c.u32(v));
                }
            }
            case 55 -> {
                for (int k = 0; k < len; k++) {
                    p.uint(OPTION_REQUEST_LIST_ITEM, c.u8(v + k));
                }
            }
            case 21, 33 -> {
                if (len % 8 != 0) {
                    p.expert(NOT_MULTIPLE_OF_8); // policy filters and static routes: address pairs
                }
            }
            default -> {
            }
        }
    }

    /** Wireshark's note on a policy filter (21) or static route (33) option of a length that is not pairs of addresses. */
    static final String NOT_MULTIPLE_OF_8 = "Option length isn't a multiple of 8";

    /** Wireshark's expert message where secs is read little-endian. */
    static final String SECS_LITTLE_ENDIAN = "Seconds elapsed appears to be encoded as little-endian";

    /**
     * Windows (98, XP, Vista) sends secs little-endian; like Wireshark, take the little-endian reading when it
     * gives 1 to 255 seconds (low byte set, high byte zero), else the big-endian one.
     */

    static int secs(Cursor c) {
        int le = c.u16le(8);
        return le > 0 && le <= 0xff ? le : c.u16(8);
    }

    /**
     * Option 61: seven bytes whose first is a hardware type (1 to 47) are read as type and address, so
     * {@code dhcp.hw.type} (and, for Ethernet and IEEE 802, {@code dhcp.hw.mac_addr}) occur a second time.
     */
    private static void clientIdentifier(Cursor c, Packet p, int v, int len) {
        int type = len == 7 ? c.u8(v) : 0;
        if (type > 0 && type < 48) {
            p.uint(HW_TYPE, type);
            if (type == 1 || type == 6) {
                p.bytes(HW_MAC_ADDR, Packet.MAC, c.pos() + v + 1, 6);
            }
        } else if (len > 1 && len != 17 && c.u8(v) == 0 && strayAfterNul(c, v + 1, len - 1)) {
            // Type 0 (not a UUID's 17 bytes): the rest is an ASCII string, and a NUL with more after it is
            // Wireshark's note on any string field.
            p.expert(TRAILING_STRAY);
        }
    }

    /** Wireshark's note on a string field whose bytes go on after a NUL. */
    static final String TRAILING_STRAY = "Trailing stray characters";

    /**
     * Wireshark's check of an ASCII string field of {@code n} bytes: in the string as converted (a byte above
     * 0x7f becomes the 3-byte UTF-8 replacement character), a non-NUL byte after the first NUL, within the
     * first {@code n} bytes of the conversion.
     */
    static boolean strayAfterNul(Cursor c, int at, int n) {
        boolean afterNul = false;
        int converted = 0;
        for (int i = 0; i < n && converted < n; i++) {
            int b = c.u8(at + i);
            if (afterNul && b != 0) {
                return true;
            }
            afterNul |= b == 0;
            converted += b >= 0x80 ? 3 : 1;
        }
        return false;
    }

    private static void address(Packet p, Field key, int offset, int len) {
        if (len == 4) {
            p.bytes(key, Packet.IPV4, offset, 4);
        }
    }

    private static void addresses(Packet p, Field key, int offset, int len) {
        for (int k = 0; k + 4 <= len; k += 4) {
            p.bytes(key, Packet.IPV4, offset + k, 4);
        }
    }

    /** An option's text up to its first NUL (Wireshark's FT_STRINGZ). */
    private static String text(Cursor c, int at, int len) {
        int n = 0;
        while (n < len && c.u8(at + n) != 0) {
            n++;
        }
        return new String(c.data(), c.pos() + at, n, StandardCharsets.ISO_8859_1);
    }
}
