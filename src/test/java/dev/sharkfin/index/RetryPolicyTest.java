package dev.sharkfin.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.ErrorResponse;

/** Which failures are retried, and the backoff arithmetic: no server needed. */
class RetryPolicyTest {
    private final RetryPolicy policy = new RetryPolicy(Duration.ofMinutes(5), Duration.ofMillis(500), Duration.ofSeconds(30));

    @Test
    void backoffDoublesFromTheInitialPauseUpToTheMaximum() {
        assertThat(policy.backoff(0)).isEqualTo(Duration.ofMillis(500));
        assertThat(policy.backoff(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(policy.backoff(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(policy.backoff(5)).isEqualTo(Duration.ofSeconds(16));
        assertThat(policy.backoff(6)).as("32 s is over the 30 s maximum").isEqualTo(Duration.ofSeconds(30));
        assertThat(policy.backoff(40)).as("no overflow").isEqualTo(Duration.ofSeconds(30));
        assertThat(policy.backoff(Integer.MAX_VALUE)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void theLastPauseIsCutToWhatIsLeftAndThenItGivesUp() {
        assertThat(policy.pause(0, Duration.ZERO)).contains(Duration.ofMillis(500));
        assertThat(policy.pause(8, Duration.ofSeconds(100))).contains(Duration.ofSeconds(30));
        assertThat(policy.pause(8, Duration.ofSeconds(290))).as("10 s left").contains(Duration.ofSeconds(10));
        assertThat(policy.pause(8, Duration.ofMinutes(5))).isEmpty();
        assertThat(policy.pause(0, Duration.ofMinutes(6))).isEmpty();
    }

    @Test
    void theTriesOfAnOutageAddUpToRetryFor() {
        // 0.5 + 1 + 2 + 4 + 8 + 16 = 31.5 s, then 30 s pauses: 300 s are used up after 15 pauses, the last one cut.
        Duration elapsed = Duration.ZERO;
        int pauses = 0;
        for (int attempt = 0; ; attempt++) {
            var p = policy.pause(attempt, elapsed);
            if (p.isEmpty()) {
                break;
            }
            elapsed = elapsed.plus(p.get());
            pauses++;
        }
        assertThat(elapsed).isEqualTo(Duration.ofMinutes(5));
        assertThat(pauses).isEqualTo(6 + 8 + 1);
    }

    @Test
    void noAnswerIsTransient() {
        assertThat(RetryPolicy.transientFailure(new ConnectException("Connection refused"))).isTrue();
        assertThat(RetryPolicy.transientFailure(new SocketTimeoutException("Read timed out"))).isTrue();
        assertThat(RetryPolicy.transientFailure(new IOException("Connection reset by peer"))).isTrue();
        assertThat(RetryPolicy.transientFailure(new UncheckedIOException(new ConnectException("refused")))).isTrue();
        assertThat(RetryPolicy.transientFailure(new RuntimeException("wrapped", new SocketTimeoutException()))).isTrue();
    }

    @Test
    void tooManyRequestsAndServerErrorsAreTransientOtherAnswersAreNot() {
        assertThat(RetryPolicy.transientFailure(error(429, "es_rejected_execution_exception"))).isTrue();
        assertThat(RetryPolicy.transientFailure(error(503, "cluster_block_exception"))).isTrue();
        assertThat(RetryPolicy.transientFailure(error(500, "internal_server_error"))).isTrue();
        assertThat(RetryPolicy.transientFailure(error(504, "gateway_timeout"))).isTrue();
        assertThat(RetryPolicy.transientFailure(error(400, "illegal_argument_exception"))).isFalse();
        assertThat(RetryPolicy.transientFailure(error(404, "index_not_found_exception"))).isFalse();
        assertThat(RetryPolicy.transientFailure(error(413, "content_too_long"))).isFalse();
        assertThat(RetryPolicy.transientFailure(new IllegalStateException("a bug"))).isFalse();
        assertThat(RetryPolicy.transientFailure(new IllegalArgumentException("x", new IllegalStateException()))).isFalse();
    }

    @Test
    void documentsRefusedForNowAreRetriedMappingErrorsAreNot() {
        assertThat(RetryPolicy.transientItem(429, "es_rejected_execution_exception")).isTrue();
        assertThat(RetryPolicy.transientItem(503, "unavailable_shards_exception")).isTrue();
        assertThat(RetryPolicy.transientItem(500, "some_server_error")).isTrue();
        assertThat(RetryPolicy.transientItem(429, "circuit_breaking_exception")).isTrue();
        assertThat(RetryPolicy.transientItem(0, "unavailable_shards_exception")).as("by type, whatever the status").isTrue();
        assertThat(RetryPolicy.transientItem(400, "mapper_parsing_exception")).isFalse();
        assertThat(RetryPolicy.transientItem(400, "document_parsing_exception")).isFalse();
        assertThat(RetryPolicy.transientItem(400, "illegal_argument_exception")).isFalse();
        assertThat(RetryPolicy.transientItem(409, "version_conflict_engine_exception")).isFalse();
    }

    @Test
    void theGiveUpReasonNamesTheTimeAndTheProperty() {
        assertThat(policy.unavailable("ConnectException: Connection refused"))
                .isEqualTo("Elasticsearch unavailable for 5m (sharkfin.index.retry-for): ConnectException: Connection refused");
        assertThat(RetryPolicy.text(Duration.ofSeconds(5))).isEqualTo("5s");
        assertThat(RetryPolicy.text(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(RetryPolicy.text(Duration.ofHours(2))).isEqualTo("2h");
    }

    private static ElasticsearchException error(int status, String type) {
        return new ElasticsearchException("bulk", ErrorResponse.of(e -> e.status(status).error(c -> c.type(type).reason("because"))));
    }
}
