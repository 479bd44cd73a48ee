package dev.parley.client;

import java.time.Duration;
import java.util.Objects;

/**
 * Where the client's connection stands. Immutable; compare with {@link #kind()}.
 * CONNECTED means authenticated and subscribed to every conversation asked for.
 */
public final class ConnectionState {
    public enum Kind { CONNECTING, CONNECTED, RECONNECTING, CLOSED }

    public static final ConnectionState CONNECTING = new ConnectionState(Kind.CONNECTING, 0, Duration.ZERO, null, false);
    public static final ConnectionState CONNECTED = new ConnectionState(Kind.CONNECTED, 0, Duration.ZERO, null, false);

    private final Kind kind;
    private final int attempt;
    private final Duration delay;
    private final String reason;
    private final boolean authFailure;

    private ConnectionState(Kind kind, int attempt, Duration delay, String reason, boolean authFailure) {
        this.kind = kind;
        this.attempt = attempt;
        this.delay = delay;
        this.reason = reason;
        this.authFailure = authFailure;
    }

    /** Waiting {@code delay} before reconnect attempt number {@code attempt} (1 for the first retry). */
    public static ConnectionState reconnecting(int attempt, Duration delay) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be at least 1");
        }
        return new ConnectionState(Kind.RECONNECTING, attempt, Objects.requireNonNull(delay, "delay"), null, false);
    }

    /** Final: the client will not reconnect. {@code authFailure} when no usable token could be had. */
    public static ConnectionState closed(String reason, boolean authFailure) {
        return new ConnectionState(Kind.CLOSED, 0, Duration.ZERO, Objects.requireNonNull(reason, "reason"), authFailure);
    }

    public Kind kind() {
        return kind;
    }

    /** The reconnect attempt this state waits for; 0 unless RECONNECTING. */
    public int attempt() {
        return attempt;
    }

    /** How long the client waits before that attempt; zero unless RECONNECTING. */
    public Duration delay() {
        return delay;
    }

    /** Why the client closed; null unless CLOSED. */
    public String reason() {
        return reason;
    }

    /** True when CLOSED because the server refused the token and the token provider had no fresh one. */
    public boolean isAuthFailure() {
        return authFailure;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ConnectionState)) {
            return false;
        }
        ConnectionState s = (ConnectionState) o;
        return kind == s.kind && attempt == s.attempt && delay.equals(s.delay)
                && Objects.equals(reason, s.reason) && authFailure == s.authFailure;
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, attempt, delay, reason, authFailure);
    }

    /** Stable text, e.g. {@code RECONNECTING attempt=2 delay=340ms} or {@code CLOSED auth failed: ...}. */
    @Override
    public String toString() {
        switch (kind) {
            case RECONNECTING:
                return "RECONNECTING attempt=" + attempt + " delay=" + delay.toMillis() + "ms";
            case CLOSED:
                return "CLOSED " + reason;
            default:
                return kind.name();
        }
    }
}
