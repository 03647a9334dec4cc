package dev.sharkfin.dissect;

/**
 * IEEE 802.1AE MACsec: the SecTAG after ethertype 0x88e5, as Wireshark 4.0's dissector shows it. Nothing is
 * decrypted or verified, and the short length (SL) is shown only: Wireshark 4.0 does not use it.
 *
 * <ul>
 * <li>A version bit set, or no more captured bytes than the SecTAG (14 bytes with an SCI, 6 without) and a
 * 16-byte ICV, and Wireshark declines the frame: the ethertype's payload is data, with no MACsec layer.</li>
 * <li>With the E or C bit set the secure data is encrypted or changed: data up to the last 16 captured bytes,
 * which are the ICV.</li>
 * <li>Otherwise (integrity only) an ethertype follows the SecTAG, and its payload runs to the frame's end, ICV
 * included: what the payload's protocol leaves after its own length is the ICV, checked as an Ethernet trailer
 * ({@link Ethernet#trailer}). A payload that sets no length (an undecoded ethertype's data, an IPv4 total
 * length past the frame) leaves no ICV.</li>
 * </ul>
 */
public final class Macsec implements Decoder {
    public static final Protocol PROTOCOL = Protocol.of("macsec", "802.1AE Security tag").ethertype(0x88e5, new Macsec());
    public static final Field TCI = PROTOCOL.number("macsec.TCI", "TAG control information: the six high bits of the first byte (V, ES, SC, SCB, E, C)");
    public static final Field TCI_V = PROTOCOL.number("macsec.TCI.V", "Version (0; a frame of another is not decoded)");
    public static final Field TCI_ES = PROTOCOL.bool("macsec.TCI.ES", "End station: the SCI is the source address's");
    public static final Field TCI_SC = PROTOCOL.bool("macsec.TCI.SC", "Secure channel: the SecTAG holds an SCI");
    public static final Field TCI_SCB = PROTOCOL.bool("macsec.TCI.SCB", "Single copy broadcast");
    public static final Field TCI_E = PROTOCOL.bool("macsec.TCI.E", "Encryption: the user data is encrypted");
    public static final Field TCI_C = PROTOCOL.bool("macsec.TCI.C", "Changed text: the secure data is not the user data");
    public static final Field AN = PROTOCOL.number("macsec.AN", "Association number (0 to 3)");
    public static final Field SL = PROTOCOL.number("macsec.SL", "Short length: the secure data's length when under 48 bytes, else 0");
    public static final Field PN = PROTOCOL.number("macsec.PN", "Packet number");
    public static final Field SCI_SYSTEM = PROTOCOL.mac("macsec.SCI.system_identifier", "Secure channel identifier: its system identifier (a MAC address)");
    public static final Field SCI_PORT = PROTOCOL.number("macsec.SCI.port_identifier", "Secure channel identifier: its port identifier");
    public static final Field ETYPE = PROTOCOL.number("macsec.etype", "Ethertype of an integrity-only frame's payload");
    public static final Field ICV = PROTOCOL.bytes("macsec.ICV",
            "Integrity check value: the last 16 captured bytes of an encrypted frame; of an integrity-only one, what its payload leaves");

    private static final int V = 0x80, ES = 0x40, SC = 0x20, SCB = 0x10, E = 0x08, C = 0x04;
    private static final int ICV_LENGTH = 16;

    @Override
    public int decode(Cursor c, Packet p) {
        if (c.need(1) && declined(c)) {
            return Dispatch.DATA;
        }
        int layer = p.layer(PROTOCOL);
        if (!c.need(1)) {
            return Decoder.missing(c, p, 1, "MACsec SecTAG"); // Wireshark reads the TCI before anything else
        }
        int tci = c.u8(0);
        int secTag = secTagLength(tci);
        secTag(c, p, tci, secTag);
        if ((tci & (E | C)) != 0) {
            return protectedData(c, p, secTag);
        }
        int type = c.u16(secTag);
        p.hex(ETYPE, type, 4);
        c.skip(secTag + 2);
        p.pass(Dissector.ETHERTYPE);
        Ethernet.ethertypePayload(c, p, layer, ICV);
        return Dispatch.ethertype(type);
    }

    /** Wireshark's MACsec returns nothing for a version other than 0 or a frame no longer than SecTAG and ICV. */
    private static boolean declined(Cursor c) {
        int tci = c.u8(0);
        return (tci & V) != 0 || c.remaining() <= secTagLength(tci) + ICV_LENGTH;
    }

    private static int secTagLength(int tci) {
        return (tci & SC) != 0 ? 14 : 6;
    }

    /** The SecTAG's fields; all its bytes are captured ({@link #declined}). */
    private static void secTag(Cursor c, Packet p, int tci, int secTag) {
        p.hex(TCI, tci >>> 2, 2);
        p.hex(TCI_V, tci >>> 7, 2);
        p.bool(TCI_ES, (tci & ES) != 0);
        p.bool(TCI_SC, (tci & SC) != 0);
        p.bool(TCI_SCB, (tci & SCB) != 0);
        p.bool(TCI_E, (tci & E) != 0);
        p.bool(TCI_C, (tci & C) != 0);
        p.hex(AN, tci & 0x03, 2);
        p.uint(SL, c.u8(1));
        p.uint(PN, c.u32(2));
        if (secTag == 14) {
            p.bytes(SCI_SYSTEM, Packet.MAC, c.pos() + 6, 6);
            p.uint(SCI_PORT, c.u16(12));
        }
    }

    /** An encrypted or changed frame: data, then the ICV in the last 16 captured bytes (Wireshark's sizes are the captured ones). */
    private static int protectedData(Cursor c, Packet p, int secTag) {
        c.skip(secTag);
        int data = c.remaining() - ICV_LENGTH;
        p.bytes(ICV, Packet.BYTES, c.pos() + data, ICV_LENGTH);
        c.limit(data);
        return Dispatch.DATA;
    }
}
