package dev.sharkfin.index;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The interval arithmetic of a stream's timeline: a requested interval checked and turned into milliseconds, or
 * one chosen for about {@value #AUTO_BUCKETS} points. Pure. A bad or too fine interval is a {@link
 * PacketStats.BadInterval} (400), never an overflow.
 *
 * @param text   the interval as Elasticsearch's {@code fixed_interval} takes it ({@code 100ms}, {@code 1s}, ...)
 * @param millis the same in milliseconds, at least 1
 */
record TimelineInterval(String text, long millis) {
    /** The most points a requested interval may make. */
    static final int MAX_BUCKETS = 5_000;
    /** About how many points a timeline without a requested interval has. */
    static final int AUTO_BUCKETS = 300;
    /** The longest interval taken: a year, far more than any capture needs, far less than any overflow. */
    static final long MAX_INTERVAL_MILLIS = 365L * 86_400_000;
    private static final Pattern INTERVAL = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    /**
     * The interval for a stream lasting {@code spanSeconds}: {@code requested}, checked, or, when null or blank, the
     * smallest 1, 2 or 5 x 10^k ms that makes at most about {@value #AUTO_BUCKETS} points.
     */
    static TimelineInterval of(String requested, double spanSeconds) {
        if (requested == null || requested.isBlank()) {
            long millis = niceMillis(spanSeconds * 1000 / AUTO_BUCKETS);
            return new TimelineInterval(millis + "ms", millis);
        }
        long millis = parseMillis(requested);
        if (spanSeconds * 1000 / millis > MAX_BUCKETS) {
            throw new PacketStats.BadInterval("An interval of " + requested + " makes more than " + MAX_BUCKETS
                    + " points over this stream's " + String.format(Locale.ROOT, "%.3f", spanSeconds) + " s; choose a "
                    + "longer one, or none for about " + AUTO_BUCKETS + " points.");
        }
        return new TimelineInterval(requested, millis);
    }

    /**
     * An interval in milliseconds. The number is checked before any arithmetic: one past the long range, or one
     * that overflows once multiplied by its unit, is a bad interval (400), never a 500 or a negative interval.
     */
    static long parseMillis(String interval) {
        Matcher m = INTERVAL.matcher(interval);
        String usage = "a positive whole number and one of ms, s, m, h, d (e.g. 100ms, 1s, 5m), at most 365d";
        if (!m.matches() || m.group(1).length() > 12) {
            throw new PacketStats.BadInterval("'" + interval + "' is not an interval: " + usage + ".");
        }
        long n = Long.parseLong(m.group(1));
        long unit = switch (m.group(2)) {
            case "ms" -> 1;
            case "s" -> 1000;
            case "m" -> 60_000;
            case "h" -> 3_600_000;
            default -> 86_400_000;
        };
        if (n == 0 || n > MAX_INTERVAL_MILLIS / unit) {
            throw new PacketStats.BadInterval("'" + interval + "' is not an interval Sharkfin takes: " + usage + ".");
        }
        return n * unit;
    }

    /** The smallest of 1, 2, 5 x 10^k milliseconds at least {@code ms}. */
    static long niceMillis(double ms) {
        long step = 1;
        while (true) {
            for (long f : new long[] {1, 2, 5}) {
                if (f * step >= ms) {
                    return f * step;
                }
            }
            step *= 10;
        }
    }

    /** Bits per second of {@code bytes} over one interval. */
    double bitsPerSecond(long bytes) {
        return bytes * 8 * 1000.0 / millis;
    }
}
