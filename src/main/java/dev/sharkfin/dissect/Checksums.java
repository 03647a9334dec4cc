package dev.sharkfin.dissect;

/** Wireshark's checksum status values (proto_checksum_e) and the Internet checksum (RFC 1071). */
final class Checksums {
    static final int BAD = 0, GOOD = 1, UNVERIFIED = 2, NOT_PRESENT = 3;

    /** The one's-complement sum of {@code length} bytes at the cursor's {@code at}, added to {@code sum}, not folded. */
    static long sum(Cursor c, int at, int length, long sum) {
        int i = 0;
        for (; i + 1 < length; i += 2) {
            sum += c.u16(at + i);
        }
        if (i < length) {
            sum += c.u8(at + i) << 8;
        }
        return sum;
    }

    /** The sum of {@code length} bytes of {@code data} from {@code offset}, added to {@code sum}, not folded. */
    static long sum(byte[] data, int offset, int length, long sum) {
        int i = 0;
        for (; i + 1 < length; i += 2) {
            sum += ((data[offset + i] & 0xff) << 8) | (data[offset + i + 1] & 0xff);
        }
        if (i < length) {
            sum += (data[offset + i] & 0xff) << 8;
        }
        return sum;
    }

    /** Whether a sum over data that holds its own checksum verifies (folds to 0xffff). */
    static boolean verifies(long sum) {
        return fold(sum) == 0xffff;
    }

    /**
     * The checksum a header should have held, given the one it holds and the sum over the data with it (Wireshark's
     * in_cksum_shouldbe, for its "Bad checksum [should be 0x....]"): the held value plus the complement of the sum.
     */
    static int shouldBe(int held, long sum) {
        long computed = ~fold(sum) & 0xffff;
        return fold(held + computed);
    }

    private static int fold(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) sum;
    }

    private Checksums() {
    }
}
