package dev.parley.bench.target;

import java.net.URI;

/** The server under test, as the scenarios see it. */
public interface Target extends AutoCloseable {
    URI wsUri();

    URI httpUri();

    /** A token the server accepts for the user. */
    String token(String userId);

    /** The server's OS process id, or -1 when unknown (then no server CPU or memory is reported). */
    long pid();

    /** True when {@link #restart()} really restarts the server (else the storm cuts the connections instead). */
    boolean canRestart();

    /** Stops the server gracefully and starts it again on the same port and data. */
    void restart();

    /** How the last restart went, for the report. */
    default String lastRestart() {
        return "";
    }

    /** Forces a full GC in the server so heap figures are comparable; false when it cannot. */
    default boolean gc() {
        return false;
    }

    /** A human description for the report. */
    String describe();

    @Override
    void close();
}
