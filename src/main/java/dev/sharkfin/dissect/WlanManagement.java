package dev.sharkfin.dissect;

/**
 * An 802.11 management frame's body as far as Wireshark 4.0's checks go: the subtype's fixed parameters, then the
 * elements (tag, length, value), each read within its length. Of the element checks, those of the RSN element's
 * counts and the VHT Operation element's length. Every element's value is read whole first, as Wireshark does, so
 * one running past the frame ends decoding (malformed, or short in a frame cut by the snapshot length).
 */
final class WlanManagement {
    /** Fixed-parameter bytes by subtype; -1 where Wireshark's checks are not modelled (action, measurement pilot...). */
    private static final int[] FIXED = {4, 6, 10, 6, 0, 12, -1, -1, 12, -1, 2, 6, 2, -1, -1, -1};
    /**
     * The subtypes (association, reassociation, probe response, beacon) whose first element Wireshark reads even
     * where none is left: a body that ends with the fixed parameters fails.
     */
    private static final int ELEMENT_REQUIRED = 1 << 0 | 1 << 1 | 1 << 2 | 1 << 3 | 1 << 5 | 1 << 8;
    private static final int AUTHENTICATION = 11, RSN = 48, VHT_OPERATION = 192;
    static final String TAG_TOO_LONG = "Tag Length is longer than remaining payload";

    private WlanManagement() {
    }

    /** Reads the body at the cursor (the header skipped); answers {@link Dispatch#STOP}. */
    static int body(Cursor c, Packet p, int subtype) {
        int fixed = FIXED[subtype];
        if (fixed < 0) {
            return Dispatch.STOP;
        }
        if (!c.need(fixed)) {
            return Decoder.missing(c, p, fixed, "802.11 fixed parameters");
        }
        if (subtype == AUTHENTICATION && c.u16le(0) > 2) {
            return Dispatch.STOP; // SAE and FILS authentication: fields of their own, not elements
        }
        c.skip(fixed);
        if (c.reported() > 0 || (ELEMENT_REQUIRED >>> subtype & 1) != 0) {
            elements(c, p);
        }
        return Dispatch.STOP;
    }

    /**
     * The elements up to the frame's end. Wireshark flags a length past the rest of the frame (counted from the
     * element's first byte) and still reads the element, which then fails.
     */
    private static void elements(Cursor c, Packet p) {
        int end = c.reported();
        int at = 0;
        do {
            if (!c.need(at + 2)) {
                Decoder.missing(c, p, at + 2, "802.11 element");
                return;
            }
            int id = c.u8(at);
            int len = c.u8(at + 1);
            if (len > end - at) {
                p.malformedExpert(TAG_TOO_LONG);
            }
            if (!element(c, p, id, at + 2, len)) {
                return;
            }
            at += 2 + len;
        } while (at < end);
    }

    /**
     * One element's value at {@code at}; false where reading it failed (decoding ends there). Wireshark has the whole
     * value before an element's own checks: a value cut by the snapshot length is short, before any of them.
     */
    private static boolean element(Cursor c, Packet p, int id, int at, int len) {
        if (!c.need(at + len)) {
            Decoder.missing(c, p, at + len, "802.11 element");
            return false;
        }
        if (id == RSN) {
            return rsn(c, p, at, len);
        }
        if (id == VHT_OPERATION && len != 5) {
            p.malformedExpert("VHT Operation IE length " + len + " wrong, must be = 5");
        }
        return true;
    }

    /**
     * The RSN element (802.11-2020 9.4.2.24) as Wireshark reads it: version, group cipher suite, pairwise suites,
     * AKM suites, capabilities, PMKIDs, group management cipher suite, ending quietly where the element ends between
     * parts (but never between the AKM suites and the capabilities). A count too large for the element is flagged
     * and cut to what fits.
     */
    private static boolean rsn(Cursor c, Packet p, int at, int len) {
        if (len < 2) {
            if (len == 0) {
                p.expert("Dissector for 802.11 IE Tag (RSN Information) code not implemented, Contact Wireshark "
                        + "developers if you want this supported");
            }
            p.malformedExpert("Tag Length " + len + " wrong, must be >= 2");
            return true;
        }
        int end = at + len;
        if (!read(p, at, 2, end)) {
            return false;
        }
        if (at + 2 >= end) {
            return true; // the version alone
        }
        if (!read(p, at + 2, 4, end)) {
            return false;
        }
        int next = at + 6; // after the group cipher suite
        if (next >= end) {
            return true;
        }
        next = suites(c, p, next, end, 4, "Pairwise Cipher Suite Count too large, 4*");
        if (next < 0 || next >= end) {
            return next >= 0;
        }
        next = suites(c, p, next, end, 4, "Auth Key Management (AKM) Suite Count too large, 4*");
        if (next < 0 || !read(p, next, 2, end)) {
            return false;
        }
        next += 2; // capabilities
        if (next >= end) {
            return true;
        }
        next = suites(c, p, next, end, 16, "PMKID Count too large, 16*");
        return next >= 0 && (next >= end || read(p, next, 4, end));
    }

    /** A 2-byte count and the list it counts; answers where the list ends, or -1 where reading failed. */
    private static int suites(Cursor c, Packet p, int at, int end, int size, String tooLarge) {
        if (!read(p, at, 2, end)) {
            return -1;
        }
        int count = c.u16le(at);
        int list = at + 2;
        if (list + count * size > end) {
            p.malformedExpert(tooLarge + count + " > " + (end - list));
            count = (end - list) / size;
        }
        return count == 0 || read(p, list, count * size, end) ? list + count * size : -1;
    }

    /**
     * Whether {@code n} bytes at {@code at} are within the element ending at {@code end} (whose value is all there):
     * past the element's length Wireshark's read fails, malformed.
     */
    private static boolean read(Packet p, int at, int n, int end) {
        if (at + n > end) {
            p.malformed("802.11 element: a field runs past the element's length");
            return false;
        }
        return true;
    }
}
