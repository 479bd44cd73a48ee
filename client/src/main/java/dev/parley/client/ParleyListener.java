package dev.parley.client;

import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.Message;
import dev.parley.protocol.Receipt;
import dev.parley.protocol.ServerFrame;

/**
 * What the client tells the app. Every method does nothing by default. Calls run on the callback executor
 * given to the builder, one at a time and in order, never on OkHttp's threads; a slow callback delays the
 * next one but never the connection.
 */
public interface ParleyListener {
    /** The connection state changed. */
    default void onStateChanged(ConnectionState state) {
    }

    /**
     * A message from someone else (or from this user's other devices). Per conversation, messages arrive in
     * seq order and exactly once, whether live or filled in after a reconnect.
     */
    default void onMessage(Message message) {
    }

    /** A delivered or read receipt for a message this user sent; each (message, user, status) once. */
    default void onReceipt(Receipt receipt) {
    }

    /** The server committed a message this client sent, including sends restored from a persistent store. */
    default void onSent(ServerFrame.Ack ack) {
    }

    /** The server refused something that has no future to fail, e.g. a subscription on reconnect. */
    default void onError(ErrorCode code, String message) {
    }
}
