package dev.parley.client;

import dev.parley.protocol.ErrorCode;

/** The server refused a request: fails the request's future with the server's code and exact message. */
public final class ParleyException extends RuntimeException {
    private final ErrorCode code;

    public ParleyException(ErrorCode code, String message) {
        super(code.wire() + ": " + message);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
