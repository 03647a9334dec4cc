package dev.sharkfin.index;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.transport.TransportException;

/**
 * Which Elasticsearch failures are worth waiting out, and how long to wait between tries.
 *
 * <p>Transient: no answer at all (connection refused or reset, a timeout: Elasticsearch stalls or restarts), and the
 * answers that mean "not now" (HTTP 408, 429 and 5xx, for the whole request or one document, and the error types that say
 * so whatever their status). Everything else (a mapping error, a 400) is permanent: trying again would get the same
 * answer.
 *
 * <p>Backoff: {@code initialBackoff × 2^attempt}, at most {@code maxBackoff}, for {@code retryFor} in all from the
 * first failure; the last pause is cut so that the last try happens when that time is up.
 *
 * @param retryFor       how long a failing request is tried again before its documents count as failed
 * @param initialBackoff the pause before the first retry
 * @param maxBackoff     the longest pause between two tries
 */
public record RetryPolicy(Duration retryFor, Duration initialBackoff, Duration maxBackoff) {
    /** Per-document error types that mean "not now", whatever their status. */
    static final Set<String> TRANSIENT_TYPES = Set.of("es_rejected_execution_exception", "unavailable_shards_exception",
            "circuit_breaking_exception", "no_shard_available_action_exception", "node_closed_exception",
            "node_disconnected_exception", "node_not_connected_exception", "receive_timeout_transport_exception",
            "connect_transport_exception", "primary_missing_action_exception");

    public RetryPolicy {
        if (initialBackoff.isNegative() || initialBackoff.isZero()) {
            initialBackoff = Duration.ofMillis(1);
        }
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            maxBackoff = initialBackoff;
        }
    }

    /** The pause before retry number {@code attempt} (0: the first retry): doubling from the initial backoff, capped. */
    public Duration backoff(int attempt) {
        if (attempt >= 62) {
            return maxBackoff;
        }
        long millis = initialBackoff.toMillis();
        long doubled = millis << attempt;
        if (doubled >>> attempt != millis || doubled > maxBackoff.toMillis()) {
            return maxBackoff;
        }
        return Duration.ofMillis(doubled);
    }

    /**
     * The pause before retry number {@code attempt}, {@code elapsed} after the first failure; empty when
     * {@code retryFor} is used up and the caller must give up.
     */
    public Optional<Duration> pause(int attempt, Duration elapsed) {
        Duration left = retryFor.minus(elapsed);
        if (left.isNegative() || left.isZero()) {
            return Optional.empty();
        }
        Duration b = backoff(attempt);
        return Optional.of(b.compareTo(left) < 0 ? b : left);
    }

    /** The words a job fails with once {@code retryFor} is up: what was waited for, and the last error. */
    public String unavailable(String lastError) {
        return "Elasticsearch unavailable for " + text(retryFor) + " (sharkfin.index.retry-for): " + lastError;
    }

    /** Whether a whole request that threw {@code e} is worth sending again. */
    public static boolean transientFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ElasticsearchException es) {
                return transientStatus(es.status())
                        || es.error() != null && TRANSIENT_TYPES.contains(es.error().type());
            }
            if (t instanceof TransportException te) {
                return transientStatus(te.statusCode());
            }
            if (t instanceof IOException) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /** Whether one document the bulk response refused with {@code status} and {@code errorType} is worth sending again. */
    public static boolean transientItem(int status, String errorType) {
        return transientStatus(status) || errorType != null && TRANSIENT_TYPES.contains(errorType);
    }

    static boolean transientStatus(int status) {
        return status == 408 || status == 429 || status >= 500 && status <= 599;
    }

    /** A duration as the configuration writes it: 5m, 30s, 500ms. */
    public static String text(Duration d) {
        long ms = d.toMillis();
        if (ms != 0 && ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms != 0 && ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }

    /** An exception in one line: its type and message, and its cause's when that says more. */
    public static String describe(Throwable e) {
        String s = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        Throwable c = e.getCause();
        if (c != null && c != e && (e.getMessage() == null || !e.getMessage().contains(String.valueOf(c.getMessage())))) {
            s += " (" + c.getClass().getSimpleName() + (c.getMessage() == null ? "" : ": " + c.getMessage()) + ")";
        }
        return s;
    }
}
