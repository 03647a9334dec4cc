package dev.sharkfin.capture;

/** An upload that cannot be taken, with the reason in words a user understands. */
public class CaptureRejectedException extends RuntimeException {
    public enum Reason { EMPTY, UNSUPPORTED_FORMAT, TOO_LARGE }

    private final Reason reason;

    public CaptureRejectedException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
