package dev.parley.client.internal;

import dev.parley.client.ClientStore;
import dev.parley.client.ParleyException;
import dev.parley.client.PendingSend;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.Message;
import dev.parley.protocol.ServerFrame;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Sends not yet acknowledged, in the order the app made them. Each is written to the store before it goes on
 * the wire, transmitted once per connection with its original client_id, and removed only when the server's
 * ack (or the committed message itself, seen in a sync) proves it is stored. Loop thread only.
 */
final class Outbox {
    private static final long INTERNAL_ERROR_RETRY_MS = 1000;

    private final RealParleyClient client;
    private final ClientStore store;
    private final int limit;
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(); // loop

    private static final class Entry {
        final PendingSend send;
        final CompletableFuture<ServerFrame.Ack> future; // null for sends restored from the store
        Connection sentOn; // the connection it was last transmitted on, null when not in flight

        Entry(PendingSend send, CompletableFuture<ServerFrame.Ack> future) {
            this.send = send;
            this.future = future;
        }
    }

    Outbox(RealParleyClient client, ClientStore store, int limit) {
        this.client = client;
        this.store = store;
        this.limit = limit;
        for (PendingSend restored : store.loadOutbox()) {
            entries.put(restored.clientId(), new Entry(restored, null));
        }
    }

    void add(PendingSend send, CompletableFuture<ServerFrame.Ack> future, Connection authed) {
        if (entries.size() >= limit) {
            client.fail(future, new IllegalStateException("outbox is full (" + limit + " unacknowledged messages)"));
            return;
        }
        store.addToOutbox(send);
        Entry e = new Entry(send, future);
        entries.put(send.clientId(), e);
        if (authed != null) {
            transmit(authed, e);
        }
    }

    /** After auth:ok: sends everything not in flight on this connection, oldest first. */
    void flush(Connection authed) {
        for (Entry e : new ArrayList<>(entries.values())) {
            if (e.sentOn != authed) {
                transmit(authed, e);
            }
        }
    }

    void onConnectionLost() {
        for (Entry e : entries.values()) {
            e.sentOn = null;
        }
    }

    boolean contains(String clientId) {
        return entries.containsKey(clientId);
    }

    /** A sync returned a message this client sent but whose ack it never got: that message is the ack. */
    boolean completeFromMessage(Message m) {
        Entry e = entries.get(m.clientId);
        if (e == null || !e.send.conversationId().equals(m.conversationId)) {
            return false;
        }
        complete(e, new ServerFrame.Ack(null, m.conversationId, m.clientId, m.messageId, m.seq, m.ts));
        return true;
    }

    /** The client closes: futures fail, the sends stay in the store for the next client. */
    void failAll(RuntimeException why) {
        for (Entry e : entries.values()) {
            if (e.future != null) {
                client.fail(e.future, why);
            }
        }
        entries.clear();
    }

    private void transmit(Connection c, Entry e) {
        PendingSend s = e.send;
        if (c.maxBodyBytes > 0 && s.body().getBytes(StandardCharsets.UTF_8).length > c.maxBodyBytes) {
            // Refused here: sent, it would be refused every time (or close the connection if over the frame limit).
            remove(e, new ParleyException(ErrorCode.TOO_LARGE,
                    "body is over the server's max_body_bytes (" + c.maxBodyBytes + ")"));
            return;
        }
        e.sentOn = c;
        c.request("m", ref -> new ClientFrame.Send(ref, s.conversationId(), s.clientId(), s.body()),
                reply -> onReply(c, e, reply));
    }

    private void onReply(Connection c, Entry e, ServerFrame reply) {
        if (entries.get(e.send.clientId()) != e) {
            return; // already completed from a synced copy
        }
        e.sentOn = null;
        if (reply instanceof ServerFrame.Ack) {
            complete(e, (ServerFrame.Ack) reply);
            return;
        }
        if (!(reply instanceof ServerFrame.Error)) {
            return;
        }
        ServerFrame.Error error = (ServerFrame.Error) reply;
        switch (error.code) {
            case RATE_LIMITED:
                long wait = error.retryAfterMs == null ? 100 : Math.max(1, error.retryAfterMs);
                client.schedule(() -> retry(c, e), wait, TimeUnit.MILLISECONDS);
                break;
            case INTERNAL:
            case UNKNOWN:
                client.schedule(() -> retry(c, e), INTERNAL_ERROR_RETRY_MS, TimeUnit.MILLISECONDS);
                break;
            case UNAVAILABLE:
                break; // the server is going away: the next connection resends it
            default:
                remove(e, new ParleyException(error.code, error.message));
        }
    }

    /** Refused for good: out of the outbox, and the app is told. */
    private void remove(Entry e, ParleyException why) {
        entries.remove(e.send.clientId());
        store.removeFromOutbox(e.send.clientId());
        if (e.future != null) {
            client.fail(e.future, why);
        } else {
            client.reportError(why.code(), "a restored send was refused: " + why.getMessage());
        }
    }

    private void retry(Connection c, Entry e) {
        if (entries.get(e.send.clientId()) == e && e.sentOn == null && client.isAuthed(c)) {
            transmit(c, e);
        }
    }

    private void complete(Entry e, ServerFrame.Ack ack) {
        entries.remove(e.send.clientId());
        store.removeFromOutbox(e.send.clientId());
        client.onAcked(ack, e.future);
    }
}
