package dev.parley.client.internal;

import dev.parley.client.ParleyException;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ServerFrame;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The conversations the app follows: subscribed again on every connection, all at once, with the app's
 * futures completed by the first {@code subscribed} that covers them. Loop thread only.
 */
final class Subscriptions {
    private final RealParleyClient client;
    private final GapFiller gaps;
    private final LinkedHashSet<String> interest = new LinkedHashSet<>(); // loop
    private final Map<String, List<CompletableFuture<Void>>> waiters = new HashMap<>(); // loop

    Subscriptions(RealParleyClient client, GapFiller gaps) {
        this.client = client;
        this.gaps = gaps;
    }

    boolean isEmpty() {
        return interest.isEmpty();
    }

    /** The app asks for more; {@code open} is the open connection, if any (frames queue behind its auth). */
    void add(List<String> ids, CompletableFuture<Void> future, Connection open) {
        for (String id : ids) {
            waiters.computeIfAbsent(id, k -> new ArrayList<>()).add(future);
            interest.add(id);
        }
        if (open != null) {
            send(open, ids);
        }
    }

    void remove(List<String> ids, CompletableFuture<Void> future, Connection authed) {
        interest.removeAll(ids);
        gaps.unsubscribe(ids);
        if (authed != null) {
            authed.request("u", ref -> new ClientFrame.Unsubscribe(ref, ids), reply -> client.succeed(future, null));
        } else {
            client.succeed(future, null);
        }
    }

    /** A new connection is open: subscribe everything, pipelined behind the auth frame. */
    void resubscribe(Connection c) {
        if (!interest.isEmpty()) {
            send(c, new ArrayList<>(interest));
        }
    }

    void failAll(RuntimeException why) {
        for (List<CompletableFuture<Void>> waiting : waiters.values()) {
            waiting.forEach(f -> client.fail(f, why));
        }
        waiters.clear();
    }

    private void send(Connection c, List<String> ids) {
        c.request("s", ref -> new ClientFrame.Subscribe(ref, ids), reply -> onReply(c, ids, reply));
    }

    private void onReply(Connection c, List<String> ids, ServerFrame reply) {
        if (reply instanceof ServerFrame.Subscribed) {
            boolean first = !c.subscribedOnce;
            c.subscribedOnce = true;
            List<ServerFrame.Position> positions = new ArrayList<>();
            for (ServerFrame.Position p : ((ServerFrame.Subscribed) reply).conversations) {
                if (interest.contains(p.id)) {
                    positions.add(p);
                }
            }
            gaps.onSubscribed(positions, first, client.lastTs());
            complete(ids, null);
            client.onSubscribed(c);
            return;
        }
        if (!(reply instanceof ServerFrame.Error)) {
            return;
        }
        ServerFrame.Error error = (ServerFrame.Error) reply;
        if (error.code != ErrorCode.FORBIDDEN) {
            client.noteRefusal(c, error); // unauthenticated: the server closes with 4001 next
            return;
        }
        // All or nothing on the server: drop the refused ids and subscribe the rest again.
        List<String> refused = error.conversationIds != null ? error.conversationIds : ids;
        interest.removeAll(refused);
        complete(refused, new ParleyException(error.code, error.message));
        client.reportError(error.code, "not subscribed to " + refused + ": " + error.message);
        List<String> rest = new ArrayList<>(ids);
        rest.removeAll(refused);
        if (!rest.isEmpty()) {
            send(c, rest);
        } else if (interest.isEmpty()) {
            client.onSubscribed(c);
        }
    }

    private void complete(List<String> ids, RuntimeException error) {
        for (String id : ids) {
            List<CompletableFuture<Void>> waiting = waiters.remove(id);
            if (waiting == null) {
                continue;
            }
            for (CompletableFuture<Void> f : waiting) {
                if (error == null) {
                    client.succeed(f, null);
                } else {
                    client.fail(f, error);
                }
            }
        }
    }
}
