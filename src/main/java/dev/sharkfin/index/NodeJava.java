package dev.sharkfin.index;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Java detection for the embedded node, which needs Java {@value #MINIMUM} or newer: the first of the configured
 * {@code java-home}, {@code JAVA_HOME} and the JVM running Sharkfin that has an executable {@code bin/java} of that
 * feature release or newer (read from the JDK's {@code release} file). Throws {@link IllegalStateException} naming
 * what it tried when none fits.
 */
final class NodeJava {
    /** The oldest Java feature release Elasticsearch runs on. */
    static final int MINIMUM = 21;

    private NodeJava() {
    }

    /** The Java home for the node, from {@code configured} (may be null) and the environment's {@code JAVA_HOME}. */
    static Path choose(Path configured, String envJavaHome) {
        return firstFit(candidates(configured, envJavaHome));
    }

    /** Where to look, in order: {@code configured}, {@code JAVA_HOME}, the running JVM when it is new enough. */
    static List<Path> candidates(Path configured, String envJavaHome) {
        List<Path> candidates = new ArrayList<>();
        if (configured != null) {
            candidates.add(configured);
        }
        if (envJavaHome != null && !envJavaHome.isBlank()) {
            candidates.add(Path.of(envJavaHome));
        }
        if (Runtime.version().feature() >= MINIMUM) {
            candidates.add(Path.of(System.getProperty("java.home")));
        }
        return candidates;
    }

    /** The first candidate with an executable {@code bin/java} of Java {@value #MINIMUM} or newer. */
    static Path firstFit(List<Path> candidates) {
        for (Path c : candidates) {
            if (Files.isExecutable(c.resolve("bin/java")) && feature(c) >= MINIMUM) {
                return c;
            }
        }
        throw new IllegalStateException("Elasticsearch needs Java " + MINIMUM + " or newer; none found in " + candidates
                + ". Set sharkfin.elasticsearch.embedded.java-home or JAVA_HOME to a JDK " + MINIMUM + "+.");
    }

    /**
     * The feature release ({@code 21} of {@code 21.0.2}) of the Java at {@code javaHome}, from its {@code release}
     * file; without a readable one, the running JVM's when that is the one, else 0 (unknown).
     */
    static int feature(Path javaHome) {
        try {
            Path release = javaHome.resolve("release");
            if (Files.exists(release)) {
                for (String line : Files.readAllLines(release)) {
                    if (line.startsWith("JAVA_VERSION=")) {
                        String v = line.substring("JAVA_VERSION=".length()).replace("\"", "");
                        return Integer.parseInt(v.split("[.\\-+]")[0]);
                    }
                }
            }
        } catch (IOException | NumberFormatException ignored) {
            // fall through: unknown
        }
        return javaHome.equals(Path.of(System.getProperty("java.home"))) ? Runtime.version().feature() : 0;
    }
}
