package dev.sharkfin.index;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waits for a starting node to answer cluster health yellow or better. Returns once it does; throws {@link
 * EmbeddedElasticsearchException}, quoting the {@link ConsoleLog}'s tail, when the process exits first, or when the
 * timeout passes or {@code closing} turns true before it answers.
 */
final class NodeHealth {
    private static final long POLL_MILLIS = 500;

    private NodeHealth() {
    }

    static void await(URI node, Process process, Duration timeout, ConsoleLog console, BooleanSupplier closing) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest health = HttpRequest.newBuilder(URI.create(node + "/_cluster/health?wait_for_status=yellow&timeout=2s"))
                .timeout(Duration.ofSeconds(5)).GET().build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && !closing.getAsBoolean()) {
            if (!process.isAlive()) {
                throw new EmbeddedElasticsearchException("It exited with code " + process.exitValue()
                        + " while starting. Its output (" + console + ") ends with:\n" + console.tail());
            }
            if (healthy(http, health)) {
                return;
            }
            sleep(POLL_MILLIS);
        }
        throw new EmbeddedElasticsearchException("It did not become healthy within "
                + timeout + " on " + node + ". Its output ends with:\n" + console.tail());
    }

    private static boolean healthy(HttpClient http, HttpRequest health) {
        try {
            return http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false; // not listening yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for Elasticsearch", e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
