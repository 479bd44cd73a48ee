package dev.parley.bench.scenario;

import dev.parley.bench.client.Conn;
import dev.parley.bench.client.ServerFrameView;
import dev.parley.protocol.ServerFrame;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * One 1:1 conversation of the pairs scenario: a sender, a recipient, and what happened to each message k the
 * sender sent (its intended send time, its ack, its arrival, its receipt). Both connections live on the same
 * event loop, which owns every field.
 */
final class Pair {
    final int index;
    final String conversationId;
    final String clientIdPrefix;
    final String senderId;
    Conn sender;
    Conn recipient;
    private final PairsLoad load;
    private final boolean receipts;
    private long baseSeq = -1;

    // Per message number k: when it was meant to be sent (nanoTime) and in which phase.
    long[] intended = new long[64];
    byte[] phase = new byte[64];
    int sent;
    private final BitSet acked = new BitSet();
    private final BitSet received = new BitSet();
    private final BitSet receipted = new BitSet();
    private int[] kBySeq = new int[64];
    private long lastReceivedSeq;
    /** Receipts that arrived before their ack: seq -> arrival time. */
    private final java.util.HashMap<Long, Long> early = new java.util.HashMap<>();
    private int ackedCount;
    private int receivedCount;
    private int receiptCount;
    private int erroredCount;

    Pair(int index, String conversationId, String clientIdPrefix, String senderId, PairsLoad load, boolean receipts) {
        this.index = index;
        this.conversationId = conversationId;
        this.clientIdPrefix = clientIdPrefix;
        this.senderId = senderId;
        this.load = load;
        this.receipts = receipts;
    }

    /** Called by the pacer, on the loop: the next message number, with its intended time recorded. */
    int next(long intendedNanos, int phaseIndex) {
        int k = sent++;
        if (k == intended.length) {
            intended = Arrays.copyOf(intended, k * 2);
            phase = Arrays.copyOf(phase, k * 2);
        }
        intended[k] = intendedNanos;
        phase[k] = (byte) phaseIndex;
        return k;
    }

    Conn.Listener senderListener() {
        return new Conn.Listener() {
            @Override
            public void onSubscribed(Conn conn, ServerFrame.Subscribed s) {
                baseSeq = s.conversations.get(0).lastSeq;
            }

            @Override
            public void onFrame(Conn conn, ServerFrameView f) {
                switch (f.type) {
                    case "message:ack" -> onAck(f);
                    case "message:delivered" -> onReceipt(f);
                    case "error" -> onError(f);
                    default -> { }
                }
            }
        };
    }

    Conn.Listener recipientListener() {
        return new Conn.Listener() {
            @Override
            public void onSubscribed(Conn conn, ServerFrame.Subscribed s) {
                lastReceivedSeq = s.conversations.get(0).lastSeq;
            }

            @Override
            public void onFrame(Conn conn, ServerFrameView f) {
                if ("message:new".equals(f.type)) {
                    onMessage(conn, f);
                } else if ("error".equals(f.type)) {
                    onError(f);
                }
            }
        };
    }

    private void onAck(ServerFrameView f) {
        int k = Integer.parseInt(f.ref);
        LoopStats stats = load.stats(phase[k]);
        if (acked.get(k)) {
            stats.duplicateAcks++;
            return;
        }
        acked.set(k);
        ackedCount++;
        stats.acked++;
        load.record(stats.ack, intended[k]);
        int slot = (int) (f.seq - baseSeq - 1);
        if (slot >= 0) {
            if (slot >= kBySeq.length) {
                kBySeq = Arrays.copyOf(kBySeq, Math.max(slot + 1, kBySeq.length * 2));
            }
            kBySeq[slot] = k + 1; // 0 = unknown
            Long receiptArrived = early.isEmpty() ? null : early.remove(f.seq);
            if (receiptArrived != null) {
                receipt(k, receiptArrived);
            }
        }
    }

    private void onMessage(Conn conn, ServerFrameView f) {
        String clientId = f.clientId;
        if (clientId == null || !clientId.startsWith(clientIdPrefix) || !senderId.equals(f.senderId)) {
            load.stats(0).unmatched++;
            return;
        }
        int k = Integer.parseInt(clientId, clientIdPrefix.length(), clientId.length(), 10);
        if (k >= sent) {
            load.stats(0).unmatched++;
            return;
        }
        LoopStats stats = load.stats(phase[k]);
        if (received.get(k)) {
            stats.duplicated++;
            return;
        }
        received.set(k);
        receivedCount++;
        stats.receivedCount++;
        if (f.seq <= lastReceivedSeq) {
            stats.outOfOrder++;
        }
        lastReceivedSeq = Math.max(lastReceivedSeq, f.seq);
        load.record(stats.received, intended[k]);
        if (receipts) {
            conn.write(Conn.frames().delivered(conversationId, List.of(f.messageId)));
        }
    }

    private void onReceipt(ServerFrameView f) {
        int slot = (int) (f.seq - baseSeq - 1);
        int k = slot >= 0 && slot < kBySeq.length ? kBySeq[slot] - 1 : -1;
        if (k < 0) {
            // The receipt overtook the ack (the server orders replies, not pushed frames against replies): keep it
            // until the ack says which message this seq is.
            if (slot < 0 || early.putIfAbsent(f.seq, System.nanoTime()) != null) {
                load.stats(0).unmatched++;
            }
            return;
        }
        receipt(k, System.nanoTime());
    }

    private void receipt(int k, long arrivedNanos) {
        LoopStats stats = load.stats(phase[k]);
        if (receipted.get(k)) {
            stats.duplicateReceipts++;
            return;
        }
        receipted.set(k);
        receiptCount++;
        stats.receipts++;
        load.record(stats.receipt, intended[k], arrivedNanos);
    }

    private void onError(ServerFrameView f) {
        int k = -1;
        if (f.ref != null && !f.ref.isEmpty() && Character.isDigit(f.ref.charAt(0))) {
            k = Integer.parseInt(f.ref);
        }
        boolean forASend = k >= 0 && k < sent;
        if (forASend) {
            erroredCount++;
        }
        load.stats(forASend ? phase[k] : 0).error(f.code);
    }

    /** True while some sent message still waits for its ack (or error), its arrival or its receipt. */
    boolean busy() {
        return ackedCount + erroredCount < sent || receivedCount < ackedCount || (receipts && receiptCount < receivedCount);
    }

    /** A message that could not even be written (its socket was gone). */
    void failed() {
        erroredCount++;
    }

    /** {unacked, not received, no receipt} among messages [from, to). */
    long[] lossesBetween(int from, int to) {
        long[] out = new long[3];
        for (int k = from; k < to; k++) {
            if (!acked.get(k)) {
                out[0]++;
            }
            if (!received.get(k)) {
                out[1]++;
            }
            if (receipts && !receipted.get(k)) {
                out[2]++;
            }
        }
        return out;
    }
}
