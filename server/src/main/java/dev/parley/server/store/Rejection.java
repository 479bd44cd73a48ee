package dev.parley.server.store;

import dev.parley.protocol.ErrorCode;
import java.util.List;

/** A request the store refuses for a reason the client must hear (not a failure of the store). */
public final class Rejection extends RuntimeException {
    private final ErrorCode code;
    private final List<String> conversationIds;

    public Rejection(ErrorCode code, String message, List<String> conversationIds) {
        super(message, null, false, false);
        this.code = code;
        this.conversationIds = conversationIds;
    }

    public Rejection(ErrorCode code, String message) {
        this(code, message, null);
    }

    public ErrorCode code() {
        return code;
    }

    /** With FORBIDDEN: the conversations the user is not a member of; else null. */
    public List<String> conversationIds() {
        return conversationIds;
    }
}
