package dev.parley.protocol;

/** A frame that cannot be accepted; carries the error code and the exact message the client sees. */
public final class ProtocolException extends Exception {
    private final ErrorCode code;
    private final String ref;

    public ProtocolException(ErrorCode code, String message, String ref) {
        super(message, null, false, false);
        this.code = code;
        this.ref = ref;
    }

    public ProtocolException(ErrorCode code, String message) {
        this(code, message, null);
    }

    public ErrorCode code() {
        return code;
    }

    /** The request's ref when it could still be read from the rejected frame, else null. */
    public String ref() {
        return ref;
    }
}
