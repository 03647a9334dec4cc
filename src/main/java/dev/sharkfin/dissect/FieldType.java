package dev.sharkfin.dissect;

import java.util.Locale;

/**
 * What a field's values are: what the index maps them as, what {@code GET /api/fields} and the field
 * reference say, and how they are compared with Wireshark's.
 */
public enum FieldType {
    /** A whole number (Wireshark's integers, hexadecimal ones included: written as numbers). */
    NUMBER,
    /** {@code true} or {@code false}; for Wireshark's presence-only fields (expert flags), {@code true} when set. */
    BOOLEAN,
    /** Seconds as a decimal with nanosecond digits (Wireshark's relative times). */
    SECONDS,
    /** An IPv4 or IPv6 address. */
    IP,
    /** A MAC address, {@code aa:bb:cc:dd:ee:ff}. */
    MAC,
    /** A byte string as hex digits (colon-separated where Wireshark shows them so). */
    BYTES,
    /** An instant, ISO-8601 UTC with nanoseconds. */
    DATE,
    /** A name or an identifier: matched whole, aggregated. */
    KEYWORD,
    /** Free text (a reason, a user agent): matched whole, and by words. */
    TEXT;

    /** Lower case, as the API and the field reference spell it. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether a value the packet holds in this encoding ({@link Packet#UINT}, ...) is of this type. */
    boolean accepts(byte encoding) {
        return switch (this) {
            case NUMBER -> encoding == Packet.UINT || encoding == Packet.INT || encoding == Packet.HEX;
            case BOOLEAN -> encoding == Packet.BOOL;
            case SECONDS -> encoding == Packet.DOUBLE;
            case IP -> encoding == Packet.IPV4 || encoding == Packet.IPV6;
            case MAC -> encoding == Packet.MAC;
            case BYTES -> encoding == Packet.BYTES || encoding == Packet.STRING;
            case DATE -> encoding == Packet.TIME;
            case KEYWORD, TEXT -> encoding == Packet.STRING || encoding == Packet.PROTOCOLS;
        };
    }
}
