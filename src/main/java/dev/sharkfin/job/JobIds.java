package dev.sharkfin.job;

import java.io.IOException;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;

/**
 * The ids of jobs and of Sharkfin instances. A job id is the UTC time then random hex ({@code 20260101-120000-a1b2c3}),
 * so ids sort by age and are safe in an index name; an instance id is host, process id and a random part, so a
 * restart is a new instance.
 */
final class JobIds {
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();

    private JobIds() {
    }

    /** A new job id for a job created now. */
    static String newJobId() {
        return jobId(Instant.now(), random(3));
    }

    /** The job id for a job created at {@code createdAt} with the random part {@code random}. */
    static String jobId(Instant createdAt, byte[] random) {
        return ID_TIME.format(createdAt) + "-" + HexFormat.of().formatHex(random);
    }

    /** This instance's id on the records it saves. */
    static String newInstanceId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "unknown";
        }
        return host + "/" + ProcessHandle.current().pid() + "/" + HexFormat.of().formatHex(random(4));
    }

    private static byte[] random(int bytes) {
        byte[] r = new byte[bytes];
        RANDOM.nextBytes(r);
        return r;
    }
}
