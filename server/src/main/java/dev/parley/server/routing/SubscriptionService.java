package dev.parley.server.routing;

import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ServerFrame;
import dev.parley.server.bus.Bus;
import dev.parley.server.bus.Subscriber;
import dev.parley.server.store.Store;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Subscribe and unsubscribe: membership from the store, registration on the bus. */
public final class SubscriptionService {
    private final Store store;
    private final Bus bus;

    public SubscriptionService(Store store, Bus bus) {
        this.store = store;
        this.bus = bus;
    }

    /**
     * All or nothing. The connection is registered on the bus before the reply exists, so every message committed
     * after the reply is sent reaches it.
     */
    public CompletableFuture<ServerFrame.Subscribed> subscribe(Subscriber subscriber, ClientFrame.Subscribe request) {
        return store.positions(subscriber.userId(), request.conversationIds).thenApply(positions -> {
            List<ServerFrame.Position> out = new ArrayList<>(positions.size());
            for (Store.Position p : positions) {
                bus.subscribe(p.conversationId(), subscriber);
                out.add(new ServerFrame.Position(p.conversationId(), p.lastSeq(), p.lastTs()));
            }
            return new ServerFrame.Subscribed(request.ref, out);
        });
    }

    public ServerFrame.Unsubscribed unsubscribe(Subscriber subscriber, ClientFrame.Unsubscribe request) {
        for (String id : request.conversationIds) {
            bus.unsubscribe(id, subscriber);
        }
        return new ServerFrame.Unsubscribed(request.ref, request.conversationIds);
    }

    /** Drops every registration of a connection that is gone. */
    public void dropAll(Subscriber subscriber, Iterable<String> conversationIds) {
        for (String id : conversationIds) {
            bus.unsubscribe(id, subscriber);
        }
    }
}
