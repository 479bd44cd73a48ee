package dev.parley.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Every {@code code} an {@code error} frame can carry, with whether retrying the same request may succeed. */
public enum ErrorCode {
    BAD_REQUEST("bad_request", false),
    UNAUTHENTICATED("unauthenticated", false),
    TOKEN_EXPIRED("token_expired", false),
    FORBIDDEN("forbidden", false),
    NOT_FOUND("not_found", false),
    CONFLICT("conflict", false),
    TOO_LARGE("too_large", false),
    /** Comes with {@code retry_after_ms}. */
    RATE_LIMITED("rate_limited", true),
    /** The server is shutting down or overloaded; retry on a new connection. */
    UNAVAILABLE("unavailable", true),
    INTERNAL("internal", true),
    /** A code this version does not know (sent by a newer server); clients treat it like internal. */
    UNKNOWN("unknown", true);

    private final String wire;
    private final boolean retryable;

    ErrorCode(String wire, boolean retryable) {
        this.wire = wire;
        this.retryable = retryable;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    public boolean retryable() {
        return retryable;
    }

    /** Never fails: a newer server's code must not make the whole error frame unreadable for older clients. */
    @JsonCreator
    public static ErrorCode fromWire(String wire) {
        for (ErrorCode code : values()) {
            if (code.wire.equals(wire)) {
                return code;
            }
        }
        return UNKNOWN;
    }
}
