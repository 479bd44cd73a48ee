package dev.parley.protocol;

/**
 * WebSocket close codes the server uses, grouped by what a client should do next.
 * A client reconnects (with backoff) after every code whose {@link #reconnect()} is true,
 * and fills the gap with {@code sync}.
 */
public enum CloseCode {
    NORMAL(1000, "normal closure", false),
    /** Server shutdown or restart. */
    GOING_AWAY(1001, "server going away", true),
    /** A message (after reassembling fragments) exceeded max_frame_bytes. */
    MESSAGE_TOO_BIG(1009, "message too big", true),
    /** Nothing was received for 2 x heartbeat_ms. */
    HEARTBEAT_TIMEOUT(4000, "heartbeat timeout", true),
    /** No valid token: the client must get a fresh one before reconnecting. */
    UNAUTHENTICATED(4001, "unauthenticated", true),
    /** More than 50 bad frames in one minute. */
    POLICY_VIOLATION(4008, "too many bad frames", true),
    /** The connection's outbound queue passed its bound; nothing is lost, sync after reconnecting. */
    SLOW_CONSUMER(4009, "slow consumer", true);

    private final int code;
    private final String reason;
    private final boolean reconnect;

    CloseCode(int code, String reason, boolean reconnect) {
        this.code = code;
        this.reason = reason;
        this.reconnect = reconnect;
    }

    public int code() {
        return code;
    }

    public String reason() {
        return reason;
    }

    public boolean reconnect() {
        return reconnect;
    }

    /** The matching constant, or null for a code this protocol does not define. */
    public static CloseCode of(int code) {
        for (CloseCode c : values()) {
            if (c.code == code) {
                return c;
            }
        }
        return null;
    }
}
