package dev.parley.client.internal;

import dev.parley.client.ParleyException;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ReceiptStatus;
import dev.parley.protocol.ServerFrame;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Receipts (the app's and the automatic delivered ones) waiting for the server's {@code ok}. Receipts are
 * idempotent on the server, so one lost with a connection is simply sent again on the next. Loop thread only.
 */
final class ReceiptQueue {
    private final RealParleyClient client;
    private final List<Entry> entries = new ArrayList<>(); // loop

    private static final class Entry {
        final String conversationId;
        final ReceiptStatus status;
        final List<String> messageIds;
        Long upToSeq;
        final CompletableFuture<Void> future; // null for automatic receipts
        Connection sentOn;

        Entry(String conversationId, ReceiptStatus status, List<String> messageIds, Long upToSeq,
              CompletableFuture<Void> future) {
            this.conversationId = conversationId;
            this.status = status;
            this.messageIds = messageIds;
            this.upToSeq = upToSeq;
            this.future = future;
        }
    }

    ReceiptQueue(RealParleyClient client) {
        this.client = client;
    }

    void add(String conversationId, ReceiptStatus status, List<String> messageIds, Long upToSeq,
             CompletableFuture<Void> future, Connection authed) {
        Entry e = new Entry(conversationId, status, messageIds, upToSeq, future);
        entries.add(e);
        if (authed != null) {
            transmit(authed, e);
        }
    }

    /** The automatic "delivered up to seq" of a conversation; merges into one still waiting to be sent. */
    void addAutoDelivered(String conversationId, long upToSeq, Connection authed) {
        for (Entry e : entries) {
            if (e.future == null && e.sentOn == null && e.conversationId.equals(conversationId)) {
                e.upToSeq = Math.max(e.upToSeq, upToSeq);
                return;
            }
        }
        add(conversationId, ReceiptStatus.DELIVERED, null, upToSeq, null, authed);
    }

    void flush(Connection authed) {
        for (Entry e : new ArrayList<>(entries)) {
            if (e.sentOn != authed) {
                transmit(authed, e);
            }
        }
    }

    void onConnectionLost() {
        for (Entry e : entries) {
            e.sentOn = null;
        }
    }

    void failAll(RuntimeException why) {
        for (Entry e : entries) {
            if (e.future != null) {
                client.fail(e.future, why);
            }
        }
        entries.clear();
    }

    private void transmit(Connection c, Entry e) {
        e.sentOn = c;
        Long upTo = e.upToSeq;
        c.request("r", ref -> e.status == ReceiptStatus.READ
                        ? new ClientFrame.MarkRead(ref, e.conversationId, e.messageIds, upTo)
                        : new ClientFrame.MarkDelivered(ref, e.conversationId, e.messageIds, upTo),
                reply -> onReply(e, reply));
    }

    private void onReply(Entry e, ServerFrame reply) {
        if (!entries.contains(e)) {
            return;
        }
        e.sentOn = null;
        if (reply instanceof ServerFrame.Ok) {
            entries.remove(e);
            if (e.future != null) {
                client.succeed(e.future, null);
            }
            return;
        }
        if (reply instanceof ServerFrame.Error) {
            ServerFrame.Error error = (ServerFrame.Error) reply;
            if (error.code.retryable()) {
                return; // stays queued; sent again on the next connection
            }
            entries.remove(e);
            if (e.future != null) {
                client.fail(e.future, new ParleyException(error.code, error.message));
            } else {
                client.reportError(error.code, "automatic delivered receipt refused: " + error.message);
            }
        }
    }
}
