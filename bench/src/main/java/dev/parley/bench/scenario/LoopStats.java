package dev.parley.bench.scenario;

import dev.parley.bench.stats.Latency;
import java.util.Map;
import java.util.TreeMap;

/** What one event loop measured during one phase. Owned by that loop until the phase is over, then merged. */
final class LoopStats {
    final Latency ack = new Latency();
    final Latency received = new Latency();
    final Latency receipt = new Latency();
    long sent;
    long sentMeasured;
    long acked;
    long receivedCount;
    long receipts;
    long duplicated;
    long outOfOrder;
    long duplicateAcks;
    long duplicateReceipts;
    long unmatched;
    final Map<String, Long> errors = new TreeMap<>();

    void error(String code) {
        errors.merge(code == null ? "?" : code, 1L, Long::sum);
    }

    void add(LoopStats o) {
        ack.add(o.ack);
        received.add(o.received);
        receipt.add(o.receipt);
        sent += o.sent;
        sentMeasured += o.sentMeasured;
        acked += o.acked;
        receivedCount += o.receivedCount;
        receipts += o.receipts;
        duplicated += o.duplicated;
        outOfOrder += o.outOfOrder;
        duplicateAcks += o.duplicateAcks;
        duplicateReceipts += o.duplicateReceipts;
        unmatched += o.unmatched;
        o.errors.forEach((k, v) -> errors.merge(k, v, Long::sum));
    }

    long errorCount() {
        return errors.values().stream().mapToLong(Long::longValue).sum();
    }
}
