package dev.parley.server.bus;

/** A connection that wants the events of the conversations it subscribed to. */
public interface Subscriber {
    String userId();

    String connectionId();

    /** Hands a frame to the connection. Called from bus threads; must not block. */
    void deliver(SharedFrame frame);
}
