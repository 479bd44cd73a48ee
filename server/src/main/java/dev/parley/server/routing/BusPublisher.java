package dev.parley.server.routing;

import dev.parley.protocol.Message;
import dev.parley.protocol.Receipt;
import dev.parley.server.bus.Bus;
import dev.parley.server.metrics.ServerMetrics;
import dev.parley.server.store.CommitListener;

/** Hands every committed event to the bus: the bridge from "durable" to "broadcast". */
public final class BusPublisher implements CommitListener {
    private final Bus bus;
    private final ServerMetrics metrics;

    public BusPublisher(Bus bus, ServerMetrics metrics) {
        this.bus = bus;
        this.metrics = metrics;
    }

    @Override
    public void messageCommitted(Message message, String origin) {
        metrics.messageCommitted();
        bus.publishMessage(message, origin);
    }

    @Override
    public void receiptCommitted(Receipt receipt, String senderId) {
        metrics.receiptCommitted();
        bus.publishReceipt(receipt, senderId);
    }
}
