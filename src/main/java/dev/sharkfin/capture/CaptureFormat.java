package dev.sharkfin.capture;

/**
 * The capture formats Sharkfin reads, recognised by their magic bytes, never by the file name.
 */
public enum CaptureFormat {
    PCAP("pcap (microsecond timestamps)"),
    PCAP_NANO("pcap (nanosecond timestamps)"),
    PCAPNG("pcapng");

    /** What the API tells a user whose upload is none of these. */
    public static final String ACCEPTED = "pcap (microsecond or nanosecond timestamps, either byte order), "
            + "pcapng, or either of them gzip-compressed";

    private final String description;

    CaptureFormat(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }

    /** The format whose magic number starts {@code head}, or null. Needs at least 4 bytes. */
    public static CaptureFormat detect(byte[] head, int n) {
        if (n < 4) {
            return null;
        }
        int be = ((head[0] & 0xff) << 24) | ((head[1] & 0xff) << 16) | ((head[2] & 0xff) << 8) | (head[3] & 0xff);
        return switch (be) {
            case 0xa1b2c3d4, 0xd4c3b2a1, 0xa1b2cd34, 0x34cdb2a1 -> PCAP;
            case 0xa1b23c4d, 0x4d3cb2a1 -> PCAP_NANO;
            case 0x0a0d0d0a -> PCAPNG;
            default -> null;
        };
    }

    public static boolean isGzip(byte[] head, int n) {
        return n >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b;
    }
}
