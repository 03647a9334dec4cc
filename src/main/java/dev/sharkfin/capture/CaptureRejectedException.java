package dev.sharkfin.capture;

/** An upload that cannot be taken, with the reason in words a user understands. */
public class CaptureRejectedException extends RuntimeException {
    /**
     * EMPTY, BAD_FORM (a multipart form that is not one capture in a 'file' part): 400; UNSUPPORTED_FORMAT: 415;
     * TOO_LARGE: 413; TOO_SLOW (under the minimum rate, or silent): 408; NO_SPACE (the disk keeps its reserve): 507.
     */
    public enum Reason { EMPTY, UNSUPPORTED_FORMAT, TOO_LARGE, BAD_FORM, TOO_SLOW, NO_SPACE }

    private final Reason reason;

    public CaptureRejectedException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
