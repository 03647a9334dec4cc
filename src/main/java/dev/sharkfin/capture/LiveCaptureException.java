package dev.sharkfin.capture;

import java.time.Duration;

/** A live capture that cannot start, with the reason in words and what the API answers for it. */
public final class LiveCaptureException extends RuntimeException {
    public enum Reason {
        /** Live capture is switched off ({@code sharkfin.capture.live.enabled}). */
        DISABLED,
        /** No interface of that name. */
        UNKNOWN_INTERFACE,
        /** The interface exists but is not on the allow-list. */
        NOT_ALLOWED,
        /** The BPF filter does not compile. */
        BAD_FILTER,
        /** A limit outside its bound, or a malformed one. */
        BAD_REQUEST,
        /** The process may not capture. */
        NO_PERMISSION,
        /** {@code maxConcurrent} captures already run. */
        TOO_MANY,
        /** libpcap is not installed. */
        NO_LIBPCAP,
        /** libpcap could not open the interface for another reason (down, gone). */
        OPEN_FAILED
    }

    private final Reason reason;
    private final Duration retryAfter;

    public LiveCaptureException(Reason reason, String message) {
        this(reason, message, null, null);
    }

    public LiveCaptureException(Reason reason, String message, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.retryAfter = retryAfter;
    }

    public Reason reason() {
        return reason;
    }

    /** For {@link Reason#TOO_MANY}: how long to wait. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
