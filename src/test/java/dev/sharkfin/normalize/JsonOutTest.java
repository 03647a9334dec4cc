package dev.sharkfin.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonOutTest {
    private final JsonOut out = new JsonOut();

    @ParameterizedTest
    @ValueSource(strings = {"::", "::1", "2001:db8::1", "fe80::1:0:0:1", "2001:db8:0:1:1:1:1:1", "1::", "2001:0:0:1::1",
            "::ffff:192.0.2.1", "1:2:3:4:5:6:7:8", "2001:db8::a:0:0:1"})
    void ipv6IsRfc5952Text(String text) throws Exception {
        byte[] a = InetAddress.getByName(text).getAddress();
        if (a.length == 4) { // Java folds ::ffff:a.b.c.d to IPv4
            byte[] m = new byte[16];
            m[10] = m[11] = (byte) 0xff;
            System.arraycopy(a, 0, m, 12, 4);
            a = m;
        }
        out.reset();
        out.ipv6(a, 0);
        assertThat(out.toString()).isEqualTo("\"" + text + "\"");
    }

    @ParameterizedTest
    @ValueSource(longs = {0L, 1_285_862_902_700_271_000L, 951_782_400_000_000_001L, 4_107_542_400_999_999_999L, 9_223_372_035_999_999_999L})
    void isoTimeMatchesJavaTime(long nanos) {
        out.reset();
        out.isoTime(nanos);
        Instant i = Instant.ofEpochSecond(0, nanos);
        String expected = i.toString().replace("Z", "");
        if (!expected.contains(".")) {
            expected += ".";
        }
        expected = (expected + "000000000").substring(0, 20 + 9) + "Z";
        assertThat(out.toString()).isEqualTo("\"" + expected + "\"");
    }

    @Test
    void stringsAreEscapedAndUtf8() {
        out.string("a\"b\\c\n\u0001é€😀");
        assertThat(out.toString()).isEqualTo("\"a\\\"b\\\\c\\u000a\\u0001é€😀\"");
    }

    @Test
    void numbersAndSeconds() {
        out.number(Long.MIN_VALUE).raw(',').number(-42).raw(',').number(0).raw(',').seconds(1_500_000_001L).raw(',').seconds(-5);
        assertThat(out.toString()).isEqualTo("-9223372036854775808,-42,0,1.500000001,-0.000000005");
    }

    @Test
    void macAndIpv4() {
        byte[] d = {0, 0x1b, (byte) 0xff, 10, 0, 0, 1};
        out.hexBytes(d, 0, 3).raw(',').ipv4(d, 3);
        assertThat(out.toString()).isEqualTo("\"00:1b:ff\",\"10.0.0.1\"");
    }

    /** Every digit count and the edges of each, against Long.toString. */
    @org.junit.jupiter.api.Test
    void numbersOfEveryLengthAreWrittenAsLongToStringWritesThem() {
        JsonOut out = new JsonOut();
        java.util.List<Long> values = new java.util.ArrayList<>(java.util.List.of(0L, Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1));
        for (long p = 1; p > 0 && p <= Long.MAX_VALUE / 10; p *= 10) {
            values.addAll(java.util.List.of(p, p - 1, p + 1, 10 * p - 1, -p, -(p - 1), 7 * p + 3));
        }
        java.util.Random random = new java.util.Random(10);
        for (int i = 0; i < 10_000; i++) {
            values.add(random.nextLong() >> random.nextInt(64));
        }
        for (long v : values) {
            out.reset();
            out.number(v);
            org.assertj.core.api.Assertions.assertThat(out.toString()).isEqualTo(Long.toString(v));
        }
    }
}
