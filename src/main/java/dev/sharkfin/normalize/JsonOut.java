package dev.sharkfin.normalize;

import java.util.Arrays;

/**
 * A growable UTF-8 JSON byte buffer that is reused from document to document. It writes numbers,
 * addresses and timestamps straight from primitives, so writing a packet allocates nothing but the
 * final copy the bulk request keeps.
 */
public final class JsonOut {
    private static final byte[] HEX = "0123456789abcdef".getBytes();
    private byte[] buf = new byte[4096];
    private int len;

    public void reset() {
        len = 0;
    }

    public int length() {
        return len;
    }

    /** The buffer itself, valid in {@code [0, length())} until the next write: for copying without a copy of its own. */
    public byte[] buffer() {
        return buf;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, len);
    }

    @Override
    public String toString() {
        return new String(buf, 0, len, java.nio.charset.StandardCharsets.UTF_8);
    }

    private void ensure(int n) {
        if (len + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
        }
    }

    public JsonOut raw(char ch) {
        ensure(1);
        buf[len++] = (byte) ch;
        return this;
    }

    /**
     * A constant ASCII key, followed by the colon. String's deprecated byte copy is exact for ASCII (it keeps
     * each char's low byte) and copies a Latin-1 string's bytes in one arraycopy, without a char loop.
     */
    @SuppressWarnings("deprecation")
    public JsonOut key(String k) {
        int n = k.length();
        ensure(n + 3);
        buf[len++] = '"';
        k.getBytes(0, n, buf, len);
        len += n;
        buf[len++] = '"';
        buf[len++] = ':';
        return this;
    }

    public JsonOut string(String s) {
        ensure(s.length() * 6 + 2);
        buf[len++] = '"';
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '"' || ch == '\\') {
                buf[len++] = '\\';
                buf[len++] = (byte) ch;
            } else if (ch < 0x20) {
                buf[len++] = '\\';
                buf[len++] = 'u';
                buf[len++] = '0';
                buf[len++] = '0';
                buf[len++] = HEX[ch >>> 4];
                buf[len++] = HEX[ch & 15];
            } else if (ch < 0x80) {
                buf[len++] = (byte) ch;
            } else if (ch < 0x800) {
                buf[len++] = (byte) (0xc0 | (ch >>> 6));
                buf[len++] = (byte) (0x80 | (ch & 0x3f));
            } else if (Character.isHighSurrogate(ch) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(ch, s.charAt(++i));
                buf[len++] = (byte) (0xf0 | (cp >>> 18));
                buf[len++] = (byte) (0x80 | ((cp >>> 12) & 0x3f));
                buf[len++] = (byte) (0x80 | ((cp >>> 6) & 0x3f));
                buf[len++] = (byte) (0x80 | (cp & 0x3f));
            } else if (Character.isSurrogate(ch)) {
                buf[len++] = (byte) 0xef; // lone surrogate: U+FFFD
                buf[len++] = (byte) 0xbf;
                buf[len++] = (byte) 0xbd;
            } else {
                buf[len++] = (byte) (0xe0 | (ch >>> 12));
                buf[len++] = (byte) (0x80 | ((ch >>> 6) & 0x3f));
                buf[len++] = (byte) (0x80 | (ch & 0x3f));
            }
        }
        buf[len++] = '"';
        return this;
    }

    public JsonOut number(long v) {
        ensure(21);
        if (v == Long.MIN_VALUE) {
            System.arraycopy(LONG_MIN, 0, buf, len, LONG_MIN.length);
            len += LONG_MIN.length;
            return this;
        }
        if (v < 0) {
            buf[len++] = '-';
            v = -v;
        }
        // Digits counted first, then written from the end two at a time: half the divisions, no reversal.
        int n = 1;
        for (long x = v; x >= 10; x /= 10) {
            n++;
        }
        int at = len + n;
        while (v >= 100) {
            int pair = (int) (v % 100) * 2;
            v /= 100;
            buf[--at] = PAIRS[pair + 1];
            buf[--at] = PAIRS[pair];
        }
        if (v >= 10) {
            int pair = (int) v * 2;
            buf[--at] = PAIRS[pair + 1];
            buf[--at] = PAIRS[pair];
        } else {
            buf[--at] = (byte) ('0' + v);
        }
        len += n;
        return this;
    }

    /** "00" to "99", two bytes each. */
    private static final byte[] PAIRS = new byte[200];

    static {
        for (int i = 0; i < 100; i++) {
            PAIRS[2 * i] = (byte) ('0' + i / 10);
            PAIRS[2 * i + 1] = (byte) ('0' + i % 10);
        }
    }

    /** Nanoseconds as decimal seconds with nine fraction digits, the way Wireshark shows times. */
    public JsonOut seconds(long nanos) {
        ensure(32);
        if (nanos < 0) {
            buf[len++] = '-';
            nanos = -nanos;
        }
        number(nanos / 1_000_000_000L);
        buf[len++] = '.';
        fixed(nanos % 1_000_000_000L, 9);
        return this;
    }

    public JsonOut decimal(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return nullValue();
        }
        String s = Double.toString(v);
        ensure(s.length());
        for (int i = 0; i < s.length(); i++) {
            buf[len++] = (byte) s.charAt(i);
        }
        return this;
    }

    private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};
    private static final byte[] LONG_MIN = "-9223372036854775808".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    public JsonOut bool(boolean b) {
        byte[] word = b ? TRUE : FALSE;
        ensure(word.length);
        System.arraycopy(word, 0, buf, len, word.length);
        len += word.length;
        return this;
    }

    public JsonOut nullValue() {
        ensure(4);
        buf[len++] = 'n';
        buf[len++] = 'u';
        buf[len++] = 'l';
        buf[len++] = 'l';
        return this;
    }

    private void fixed(long v, int width) {
        for (int i = width - 1; i >= 0; i--) {
            buf[len + i] = (byte) ('0' + (v % 10));
            v /= 10;
        }
        len += width;
    }

    public JsonOut ipv4(byte[] d, int off) {
        ensure(17);
        buf[len++] = '"';
        for (int i = 0; i < 4; i++) {
            if (i > 0) {
                buf[len++] = '.';
            }
            number(d[off + i] & 0xff);
        }
        buf[len++] = '"';
        return this;
    }

    /** RFC 5952 text: lowercase, leading zeros dropped, the longest run of two or more zero groups as "::". */
    public JsonOut ipv6(byte[] d, int off) {
        ensure(48);
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (group(d, off, i) == 0) {
                int j = i;
                while (j < 8 && group(d, off, j) == 0) {
                    j++;
                }
                if (j - i > bestLen && j - i >= 2) {
                    bestStart = i;
                    bestLen = j - i;
                }
                i = j;
            } else {
                i++;
            }
        }
        buf[len++] = '"';
        boolean v4Mapped = bestStart == 0 && bestLen == 5 && group(d, off, 5) == 0xffff;
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                buf[len++] = ':';
                if (i == 0) {
                    buf[len++] = ':';
                }
                i += bestLen - 1;
                continue;
            }
            if (v4Mapped && i == 6) {
                for (int k = 0; k < 4; k++) {
                    if (k > 0) {
                        buf[len++] = '.';
                    }
                    number(d[off + 12 + k] & 0xff);
                }
                break;
            }
            hexGroup(group(d, off, i));
            if (i < 7) {
                buf[len++] = ':';
            }
        }
        buf[len++] = '"';
        return this;
    }

    private static int group(byte[] d, int off, int i) {
        return ((d[off + 2 * i] & 0xff) << 8) | (d[off + 2 * i + 1] & 0xff);
    }

    private void hexGroup(int g) {
        boolean started = false;
        for (int shift = 12; shift >= 0; shift -= 4) {
            int nib = (g >>> shift) & 15;
            if (nib != 0 || started || shift == 0) {
                buf[len++] = HEX[nib];
                started = true;
            }
        }
    }

    /** Colon-separated hex bytes, the way Wireshark shows MAC addresses and byte strings. */
    public JsonOut hexBytes(byte[] d, int off, int n) {
        ensure(n * 3 + 2);
        buf[len++] = '"';
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                buf[len++] = ':';
            }
            buf[len++] = HEX[(d[off + i] >>> 4) & 15];
            buf[len++] = HEX[d[off + i] & 15];
        }
        buf[len++] = '"';
        return this;
    }

    /** ISO-8601 UTC with nine fraction digits, e.g. {@code "2013-05-30T22:45:17.270862000Z"}. */
    public JsonOut isoTime(long epochNanos) {
        ensure(40);
        long secs = Math.floorDiv(epochNanos, 1_000_000_000L);
        long nanos = Math.floorMod(epochNanos, 1_000_000_000L);
        long days = Math.floorDiv(secs, 86400);
        long sod = Math.floorMod(secs, 86400);
        // Civil date from days since 1970-01-01 (proleptic Gregorian).
        long z = days + 719468;
        long era = Math.floorDiv(z, 146097);
        long doe = z - era * 146097;
        long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        long day = doy - (153 * mp + 2) / 5 + 1;
        long month = mp < 10 ? mp + 3 : mp - 9;
        long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
        buf[len++] = '"';
        fixed(year, 4);
        buf[len++] = '-';
        fixed(month, 2);
        buf[len++] = '-';
        fixed(day, 2);
        buf[len++] = 'T';
        fixed(sod / 3600, 2);
        buf[len++] = ':';
        fixed(sod / 60 % 60, 2);
        buf[len++] = ':';
        fixed(sod % 60, 2);
        buf[len++] = '.';
        fixed(nanos, 9);
        buf[len++] = 'Z';
        buf[len++] = '"';
        return this;
    }
}
