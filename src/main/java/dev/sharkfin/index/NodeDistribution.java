package dev.sharkfin.index;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Finds the Elasticsearch distribution the embedded node runs: the configured {@code home}, which must hold an
 * executable {@code bin/elasticsearch}, else the first such folder the build unpacked under {@code
 * target/elasticsearch}. Throws {@link IllegalStateException} saying what to set when there is none.
 */
final class NodeDistribution {
    /** Where the build unpacks the distribution, relative to the working directory. */
    static final Path UNPACKED = Path.of("target/elasticsearch");

    private NodeDistribution() {
    }

    /** The distribution's absolute folder: {@code configured} (may be null), else the one under {@code unpacked}. */
    static Path find(Path configured, Path unpacked) {
        if (configured != null) {
            Path home = configured.toAbsolutePath().normalize();
            if (!isDistribution(home)) {
                throw new IllegalStateException("sharkfin.elasticsearch.embedded.home=" + home
                        + " is not an Elasticsearch distribution (no bin/elasticsearch).");
            }
            return home;
        }
        Path root = unpacked.toAbsolutePath();
        try (Stream<Path> dirs = Files.isDirectory(root) ? Files.list(root) : Stream.empty()) {
            return dirs.filter(NodeDistribution::isDistribution).findFirst()
                    .orElseThrow(() -> new IllegalStateException("""
                            No Elasticsearch distribution under %s. Run Sharkfin with './mvnw spring-boot:run' (the \
                            build unpacks it), set sharkfin.elasticsearch.embedded.home to an unpacked distribution, \
                            or set spring.elasticsearch.uris to an Elasticsearch of your own.""".formatted(root)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isDistribution(Path dir) {
        return Files.isExecutable(dir.resolve("bin/elasticsearch"));
    }
}
