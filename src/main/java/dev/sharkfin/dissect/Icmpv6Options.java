package dev.sharkfin.dissect;

/**
 * The options of ICMPv6's neighbor discovery messages (RFC 4861) and of RPL's control messages (RFC 6550), walked as
 * Wireshark 4.0's ICMPv6 dissector walks them, for what it reports on the way: each option must be in the packet
 * (past the captured bytes: a short frame; past the message: its exception), a neighbor discovery option of
 * length 0 ends the walk with its malformed-group error, and the few options whose length or content it checks
 * (RFC 8781's PREF64, RPL's target) get its errors. No field is written; strings are built only for such errors.
 */
final class Icmpv6Options {
    private static final int ND_PREF64 = 38;
    private static final int RPL_PAD1 = 0, RPL_PADN = 1, RPL_TARGET = 5;
    static final String INVALID_LENGTH = "Invalid Option Length";
    static final String UNKNOWN_DATA = "Unknown Data (not interpreted)";

    /** The neighbor discovery options from {@code at} (where the message's fixed part ends) to the message's end. */
    static void neighborDiscovery(Cursor c, Packet p, int at) {
        while (c.reported() > at) {
            if (!c.need(at + 2)) {
                Decoder.missing(c, p, at + 2, "ICMPv6 option");
                return;
            }
            int length = c.u8(at + 1) * 8;
            if (length == 0) {
                p.malformedExpert("Invalid option length (Zero)");
                return;
            }
            if (!c.need(at + length)) {
                Decoder.missing(c, p, at + length, "ICMPv6 option");
                return;
            }
            if (c.u8(at) == ND_PREF64 && !pref64(c, p, at, length)) {
                return;
            }
            at += length;
        }
    }

    /**
     * RFC 8781's PREF64 option: Wireshark reads its lifetime and prefix length code and a 12-byte prefix (16 bytes
     * from the option's start, whatever its length); a code above 5 (no such prefix length) is its error, and bytes
     * of the option after the prefix its "unknown data". False where it throws.
     */
    private static boolean pref64(Cursor c, Packet p, int at, int length) {
        if (!c.need(at + 16)) {
            Decoder.missing(c, p, at + 16, "PREF64 option");
            return false;
        }
        if ((c.u8(at + 3) & 7) > 5) {
            p.malformedExpert(INVALID_LENGTH);
        }
        if (length > 16) {
            p.malformedExpert(UNKNOWN_DATA);
        }
        return true;
    }

    /**
     * RPL's control message (ICMPv6 type 155) from {@code at} (after the ICMPv6 header): the base of a DIS, DIO, DAO or
     * DAO-ACK (codes 0 to 3; the others are not walked), then its options.
     */
    static void rpl(Cursor c, Packet p, int at, int code) {
        int base = switch (code) {
            case 0 -> 2;
            case 1 -> 24;
            case 2 -> c.need(at + 2) && (c.u8(at + 1) & 0x40) != 0 ? 20 : 4;
            case 3 -> c.need(at + 2) && (c.u8(at + 1) & 0x80) != 0 ? 20 : 4;
            default -> -1;
        };
        if (base < 0) {
            return;
        }
        if (!c.need(at + base)) {
            Decoder.missing(c, p, at + base, "RPL control message");
            return;
        }
        rplOptions(c, p, at + base);
    }

    /** RPL's options: Pad1 is one byte, the others a type, a length and that many bytes. */
    private static void rplOptions(Cursor c, Packet p, int at) {
        while (c.reported() > at) {
            if (!c.need(at + 1)) {
                Decoder.missing(c, p, at + 1, "RPL option");
                return;
            }
            int type = c.u8(at);
            if (type == RPL_PAD1) {
                at++;
                continue;
            }
            if (!c.need(at + 2)) {
                Decoder.missing(c, p, at + 2, "RPL option");
                return;
            }
            int length = c.u8(at + 1);
            if (type == RPL_TARGET && !rplTarget(c, p, at, length)) {
                return;
            }
            if (type == RPL_PADN && !c.need(at + 2 + length)) {
                Decoder.missing(c, p, at + 2 + length, "RPL PadN option");
                return;
            }
            at += 2 + length;
        }
    }

    /**
     * RPL's target option: a flag and a prefix length, then a prefix of 0, 8 or 16 bytes (an option length of 2, 10
     * or 18); any other length is Wireshark's error, and what it did not read of the option its "unknown data".
     * False where it throws.
     */
    private static boolean rplTarget(Cursor c, Packet p, int at, int length) {
        int read = switch (length) {
            case 2 -> 4;
            case 10 -> 12;
            case 18 -> 20;
            default -> -1;
        };
        int reads = read < 0 ? 4 : read;
        if (!c.need(at + reads)) {
            Decoder.missing(c, p, at + reads, "RPL target option");
            return false;
        }
        if (read >= 0) {
            return true;
        }
        p.malformedExpert(INVALID_LENGTH);
        if (length + 2 > 4) {
            if (!c.need(at + 2 + length)) {
                Decoder.missing(c, p, at + 2 + length, "RPL target option");
                return false;
            }
            p.malformedExpert(UNKNOWN_DATA);
        }
        return true;
    }

    private Icmpv6Options() {
    }
}
