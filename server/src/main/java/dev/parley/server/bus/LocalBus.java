package dev.parley.server.bus;

import dev.parley.protocol.Message;
import dev.parley.protocol.Receipt;
import dev.parley.protocol.ServerFrame;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The single-node bus: a map from conversation to its subscribed connections, delivered in the caller's thread. */
public final class LocalBus implements Bus {
    private final ConcurrentHashMap<String, Set<Subscriber>> subscribers = new ConcurrentHashMap<>();

    @Override
    public void subscribe(String conversationId, Subscriber subscriber) {
        subscribers.computeIfAbsent(conversationId, k -> ConcurrentHashMap.newKeySet()).add(subscriber);
    }

    @Override
    public void unsubscribe(String conversationId, Subscriber subscriber) {
        subscribers.computeIfPresent(conversationId, (k, set) -> {
            set.remove(subscriber);
            return set.isEmpty() ? null : set;
        });
    }

    @Override
    public void publishMessage(Message message, String origin) {
        Set<Subscriber> set = subscribers.get(message.conversationId);
        if (set == null) {
            return;
        }
        SharedFrame frame = new SharedFrame(new ServerFrame.New(message));
        for (Subscriber s : set) {
            if (!s.connectionId().equals(origin)) {
                s.deliver(frame);
            }
        }
    }

    @Override
    public void publishReceipt(Receipt receipt, String senderId) {
        Set<Subscriber> set = subscribers.get(receipt.conversationId);
        if (set == null) {
            return;
        }
        SharedFrame frame = null;
        for (Subscriber s : set) {
            if (s.userId().equals(senderId)) {
                if (frame == null) {
                    frame = new SharedFrame(ServerFrame.ReceiptNotice.of(receipt));
                }
                s.deliver(frame);
            }
        }
    }

    /** Subscribed connections, for metrics and tests. */
    public int subscriptionCount() {
        return subscribers.values().stream().mapToInt(Set::size).sum();
    }
}
