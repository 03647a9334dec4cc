package dev.sharkfin.capture;

/** The capture file itself cannot be read; the message says why, in words a user understands. */
public class CaptureReadException extends RuntimeException {
    public CaptureReadException(String message, Throwable cause) {
        super(message, cause);
    }
}
