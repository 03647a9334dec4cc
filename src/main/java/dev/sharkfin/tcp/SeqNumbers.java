package dev.sharkfin.tcp;

/**
 * 32-bit TCP sequence-number arithmetic on Java {@code int}s, as packet-tcp.c's GT_SEQ/LT_SEQ/LE_SEQ macros do it:
 * the wrap-around is free in two's complement and "x after y" is the sign of the signed difference, so the
 * comparisons hold across the 2^32 boundary as long as the two numbers are less than 2^31 apart.
 * Where Wireshark compares sequence numbers as plain unsigned values instead, callers use
 * {@link Integer#compareUnsigned} directly; the two are not interchangeable.
 */
final class SeqNumbers {

    private SeqNumbers() {
    }

    /** GT_SEQ(x, y): x comes after y. */
    static boolean gtSeq(int x, int y) {
        return (y - x) < 0;
    }

    /** LT_SEQ(x, y): x comes before y. */
    static boolean ltSeq(int x, int y) {
        return (x - y) < 0;
    }

    /** LE_SEQ(x, y): x comes before y or equals it. */
    static boolean leSeq(int x, int y) {
        return (x - y) <= 0;
    }
}
