package dev.sharkfin.dissect;

import java.nio.charset.StandardCharsets;

/**
 * DHCP (RFC 2131/2132) and plain BOOTP: the fixed header, then, after the magic cookie, the options.
 * Every option adds {@code dhcp_option_type} (a list in wire order); pad bytes add nothing and the end
 * option adds type 0, as Wireshark records it.
 */
final class Dhcp implements Decoder {
    private static final long MAGIC = 0x63825363L;
    private static final String[] ADDRESSES = {"dhcp_ip_client", "dhcp_ip_your", "dhcp_ip_server", "dhcp_ip_relay"};

    @Override
    public int decode(Cursor c, Packet p) {
        p.layer("dhcp");
        // Field by field, as far as the bytes go: a snaplen often cuts the 236-byte header.
        if (!c.need(4)) {
            return Decoder.missing(c, p, 4, "DHCP header");
        }
        int at = c.pos();
        int htype = c.u8(1);
        int hlen = c.u8(2);
        p.uint("dhcp_type", c.u8(0));
        p.uint("dhcp_hw_type", htype);
        p.uint("dhcp_hw_len", hlen);
        p.uint("dhcp_hops", c.u8(3));
        if (!c.need(12)) {
            return Decoder.missing(c, p, 12, "DHCP header");
        }
        p.hex("dhcp_id", c.u32(4), 8);
        p.uint("dhcp_secs", c.u16(8));
        p.hex("dhcp_flags", c.u16(10), 4);
        for (int i = 0; i < ADDRESSES.length; i++) {
            if (!c.need(16 + 4 * i)) {
                return Decoder.missing(c, p, 16 + 4 * i, "DHCP header");
            }
            p.bytes(ADDRESSES[i], Packet.IPV4, at + 12 + 4 * i, 4);
        }
        if (htype == 1 && hlen == 6) {
            if (!c.need(34)) {
                return Decoder.missing(c, p, 34, "DHCP client hardware address");
            }
            p.bytes("dhcp_hw_mac_addr", Packet.MAC, at + 28, 6);
        }
        if (!c.need(236)) {
            return Decoder.missing(c, p, 236, "DHCP header");
        }
        if (!c.need(240) || c.u32(236) != MAGIC) {
            return Dispatch.STOP; // BOOTP without the DHCP options
        }
        int n = c.remaining();
        int i = 240;
        while (i < n) {
            int code = c.u8(i);
            if (code == 0) {
                i++;
                continue;
            }
            if (code == 255) {
                p.uint("dhcp_option_type", 0);
                break;
            }
            if (i + 2 > n || i + 2 + c.u8(i + 1) > n) {
                p.uint("dhcp_option_type", code);
                return Decoder.missing(c, p, n + 1, "DHCP option " + code);
            }
            int len = c.u8(i + 1);
            int v = i + 2;
            p.uint("dhcp_option_type", code);
            p.uint("dhcp_option_length", len);
            switch (code) {
                case 53 -> {
                    if (len == 1) {
                        p.uint("dhcp_option_dhcp", c.u8(v));
                    }
                }
                case 50 -> address(p, "dhcp_option_requested_ip_address", at + v, len);
                case 54 -> address(p, "dhcp_option_dhcp_server_id", at + v, len);
                case 1 -> address(p, "dhcp_option_subnet_mask", at + v, len);
                case 3 -> addresses(p, "dhcp_option_router", at + v, len);
                case 6 -> addresses(p, "dhcp_option_domain_name_server", at + v, len);
                case 12 -> p.string("dhcp_option_hostname", text(c, v, len));
                case 15 -> p.string("dhcp_option_domain_name", text(c, v, len));
                case 60 -> p.string("dhcp_option_vendor_class_id", text(c, v, len));
                case 51 -> {
                    if (len == 4) {
                        p.uint("dhcp_option_ip_address_lease_time", c.u32(v));
                    }
                }
                case 55 -> {
                    for (int k = 0; k < len; k++) {
                        p.uint("dhcp_option_request_list_item", c.u8(v + k));
                    }
                }
                default -> {
                }
            }
            i = v + len;
        }
        return Dispatch.STOP;
    }

    private static void address(Packet p, String key, int offset, int len) {
        if (len == 4) {
            p.bytes(key, Packet.IPV4, offset, 4);
        }
    }

    private static void addresses(Packet p, String key, int offset, int len) {
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
