package dev.sharkfin.dissect;

/**
 * LWAPP (Cisco's Lightweight Access Point Protocol, draft-ohara-capwap-lwapp) over UDP 12222 and 12223, as
 * Wireshark 4.0 reads it: to port 12223 an access point's MAC address first; a 6-byte header (flags, fragment id,
 * length, RSSI, SNR); then an 802.11 frame, or with the flags' control bit a 4-byte control header and data.
 * Wireshark's default leaves the 802.11 frame control as it is (its "swap frame control" preference is off).
 */
public final class Lwapp implements Decoder {
    private static final Lwapp DECODER = new Lwapp();
    public static final Protocol PROTOCOL = Protocol.of("lwapp", "LWAPP Encapsulated Packet")
            .udpPort(12222, DECODER)
            .udpPort(12223, DECODER);
    private static final int CONTROL_PORT = 12223, FLAG_CONTROL = 0x04;

    @Override
    public int decode(Cursor c, Packet p) {
        p.layer(PROTOCOL);
        int header = p.destPort == CONTROL_PORT ? 6 + 6 : 6; // Wireshark's rule is on the destination port alone
        if (!c.need(header)) {
            return Decoder.missing(c, p, header, "LWAPP header");
        }
        boolean control = (c.u8(header - 6) & FLAG_CONTROL) != 0;
        c.skip(header);
        if (!control) {
            return Wlan.BY_NAME;
        }
        // The control message (type, sequence number, length) is not a layer of its own in frame.protocols.
        if (!c.need(4)) {
            return Decoder.missing(c, p, 4, "LWAPP control header");
        }
        c.skip(4);
        return Dispatch.DATA;
    }
}
