package dev.sharkfin.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

import dev.sharkfin.it.Integration;
import org.junit.jupiter.api.Test;
import org.springframework.util.FileSystemUtils;
import org.springframework.util.unit.DataSize;

/**
 * Supervision with a stand-in for Elasticsearch: a distribution whose {@code bin/elasticsearch} runs a small HTTP
 * server answering healthy on the {@code http.port} it is given, so that killing it and counting restarts takes
 * seconds, not minutes. (The real node killed during a job: {@code ElasticsearchFaultsTest}.)
 */
@Integration
class EmbeddedElasticsearchSupervisionTest {
    private static final String NODE = """
            import com.sun.net.httpserver.HttpServer;
            import java.net.InetSocketAddress;

            public class FakeNode {
                public static void main(String[] args) throws Exception {
                    HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])), 0);
                    s.createContext("/", ex -> {
                        byte[] b = "{\\"status\\":\\"green\\"}".getBytes();
                        ex.sendResponseHeaders(200, b.length);
                        ex.getResponseBody().write(b);
                        ex.close();
                    });
                    s.start();
                }
            }
            """;
    private static final String SCRIPT = """
            #!/bin/sh
            port=""
            for a in "$@"; do case "$a" in http.port=*) port="${a#http.port=}";; esac; done
            exec "$ES_JAVA_HOME/bin/java" "$(dirname "$0")/FakeNode.java" "$port"
            """;

    /** A stand-in distribution under target/ (as root, the node's user must be able to enter it). */
    private static Path fakeHome() throws Exception {
        Path home = Path.of("target/fake-elasticsearch").toAbsolutePath();
        FileSystemUtils.deleteRecursively(home);
        Files.createDirectories(home.resolve("bin"));
        Files.createDirectories(home.resolve("lib"));
        Files.createDirectories(home.resolve("config"));
        Files.writeString(home.resolve("bin/FakeNode.java"), NODE);
        Path script = Files.writeString(home.resolve("bin/elasticsearch"), SCRIPT);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        for (Path p : new Path[] {home, home.resolve("bin"), home.resolve("lib"), home.resolve("config")}) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Files.setPosixFilePermissions(home.resolve("bin/FakeNode.java"), PosixFilePermissions.fromString("rw-r--r--"));
        return home;
    }

    private static boolean answers(URI uri) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }

    private static void kill(long pid) throws Exception {
        assertThat(pid).isPositive();
        assertThat(new ProcessBuilder("kill", "-KILL", Long.toString(pid)).start().waitFor()).isZero();
    }

    @Test
    void aNodeThatDiesIsRestartedOnTheSamePortUntilTheRestartsAreUsedUp() throws Exception {
        boolean root = "root".equals(System.getProperty("user.name"));
        Path data = Path.of("target/fake-elasticsearch-data").toAbsolutePath();
        FileSystemUtils.deleteRecursively(data);
        var props = new EmbeddedElasticsearchProperties(true, 0, fakeHome(), data, root ? "sharkfin-es" : null, null,
                DataSize.ofMegabytes(128), Duration.ofSeconds(60), 2, Duration.ofMinutes(10));
        try (EmbeddedElasticsearch es = new EmbeddedElasticsearch(props)) {
            es.start();
            URI uri = es.uri();
            assertThat(es.status().state()).isEqualTo(EmbeddedElasticsearch.State.UP);
            for (int restart = 1; restart <= 2; restart++) {
                long pid = es.pid();
                kill(pid);
                int expected = restart;
                await("restart " + restart).atMost(Duration.ofSeconds(60)).until(() -> es.restartCount() == expected
                        && es.status().state() == EmbeddedElasticsearch.State.UP);
                assertThat(es.pid()).isNotEqualTo(pid).isPositive();
                assertThat(es.uri()).as("the same port").isEqualTo(uri);
                assertThat(answers(URI.create(uri + "/_cluster/health"))).isTrue();
                assertThat(es.status().detail()).contains("restarted " + restart + " time").contains("exited with code");
            }
            kill(es.pid());
            await("giving up").atMost(Duration.ofSeconds(30))
                    .until(() -> es.status().state() == EmbeddedElasticsearch.State.DOWN);
            assertThat(es.status().detail()).contains("was restarted 2 times within 10m already")
                    .contains("sharkfin.elasticsearch.embedded.max-restarts").contains("not restarted again");
            assertThat(es.restartCount()).isEqualTo(2);
            assertThat(es.pid()).isEqualTo(-1);
            assertThat(answers(URI.create(uri + "/_cluster/health"))).isFalse();
        }
    }
}
