package dev.parley.server.bus;

import dev.parley.protocol.Message;
import dev.parley.protocol.Receipt;

/**
 * Fan-out of committed events to the connections that want them. The only place that knows where a connection
 * lives; the in-process {@link LocalBus} is the single-node implementation.
 *
 * <p>Events of one conversation are published in commit order and each subscriber receives them in that order.
 */
public interface Bus extends AutoCloseable {
    /** Idempotent: subscribing twice still delivers each event once. */
    void subscribe(String conversationId, Subscriber subscriber);

    void unsubscribe(String conversationId, Subscriber subscriber);

    /** To every subscriber of the conversation except the connection tagged {@code origin}. */
    void publishMessage(Message message, String origin);

    /** To the subscribers of the conversation that are connections of {@code senderId}. */
    void publishReceipt(Receipt receipt, String senderId);

    @Override
    default void close() {
    }
}
