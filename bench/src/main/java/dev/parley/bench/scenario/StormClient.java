package dev.parley.bench.scenario;

import dev.parley.bench.client.Conn;
import dev.parley.bench.client.ServerFrameView;
import dev.parley.protocol.Message;
import dev.parley.protocol.ServerFrame;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * One client of the storm: it keeps a cursor (the highest seq below which it has seen everything, its own
 * messages included), reconnects after any drop with exponential backoff and full jitter (the SDK's policy),
 * and on every connection pipelines auth, subscribe, a sync by cursor, the resends of its unacked messages (same
 * client_id) and its next new messages. Owned by its event loop.
 */
final class StormClient implements Conn.Listener {
    private final StormScenario.Shared shared;
    final int index;
    final String conversationId;
    final String peerUserId;
    private final String clientIdPrefix;
    private final String peerClientIdPrefix;
    private final Random random;
    Conn conn;

    // Own messages: seq of each acked k (0 = not acked), and how many are to be sent in total so far.
    private long[] ackedSeq = new long[8];
    int planned;
    // Peer messages: the seq each k arrived with (0 = not yet).
    private long[] peerSeq = new long[8];
    private final BitSet seenSeqs = new BitSet();
    private long lastLiveSeq;
    int attempts;
    long reconnectedAtNanos;
    long caughtUpAtNanos;
    boolean caughtUp;
    boolean reconnecting;

    StormClient(StormScenario.Shared shared, int index, String run, String conversationId, String peerUserId, int peerIndex) {
        this.shared = shared;
        this.index = index;
        this.conversationId = conversationId;
        this.peerUserId = peerUserId;
        this.clientIdPrefix = run + "-" + index + "-";
        this.peerClientIdPrefix = run + "-" + peerIndex + "-";
        this.random = new Random(index * 7919L + 17);
    }

    long cursor() {
        return seenSeqs.nextClearBit(1) - 1;
    }

    /** Plans and writes {@code count} new messages. */
    void sendNew(int count) {
        for (int i = 0; i < count; i++) {
            int k = planned++;
            if (k >= ackedSeq.length) {
                ackedSeq = Arrays.copyOf(ackedSeq, k * 2);
            }
            conn.write(Conn.frames().send(Integer.toString(k), conversationId, clientIdPrefix, k, "storm " + k));
        }
    }

    boolean allAcked() {
        for (int k = 0; k < planned; k++) {
            if (ackedSeq[k] == 0) {
                return false;
            }
        }
        return true;
    }

    /** Peer messages k in [0, expected) all seen. */
    boolean hasPeerMessages(int expected) {
        if (expected > peerSeq.length) {
            return false;
        }
        for (int k = 0; k < expected; k++) {
            if (peerSeq[k] == 0) {
                return false;
            }
        }
        return true;
    }

    long missingPeerMessages(int expected) {
        long missing = 0;
        for (int k = 0; k < expected; k++) {
            if (k >= peerSeq.length || peerSeq[k] == 0) {
                missing++;
            }
        }
        return missing;
    }

    @Override
    public void onOpen(Conn c) {
        lastLiveSeq = 0; // live messages may come before the subscribed reply
        if (!reconnecting) {
            return;
        }
        c.write(Conn.frames().syncCursors("y", Map.of(conversationId, cursor())));
        for (int k = 0; k < planned; k++) {
            if (ackedSeq[k] == 0) {
                shared.resent.incrementAndGet();
                c.write(Conn.frames().send(Integer.toString(k), conversationId, clientIdPrefix, k, "storm " + k));
            }
        }
        sendNew(shared.config.messagesAfter());
    }

    @Override
    public void onSubscribed(Conn c, ServerFrame.Subscribed s) {
        if (reconnecting) {
            reconnectedAtNanos = System.nanoTime();
            shared.reconnected.incrementAndGet();
        }
    }

    @Override
    public void onFrame(Conn c, ServerFrameView f) {
        switch (f.type) {
            case "message:ack" -> {
                int k = Integer.parseInt(f.ref);
                if (ackedSeq[k] != 0 && ackedSeq[k] != f.seq) {
                    shared.duplicated.incrementAndGet(); // one client_id committed twice
                }
                ackedSeq[k] = f.seq;
                seenSeqs.set((int) f.seq);
                checkCaughtUp();
            }
            case "message:new" -> {
                if (f.seq <= lastLiveSeq) {
                    shared.outOfOrder.incrementAndGet();
                }
                lastLiveSeq = f.seq;
                peerMessage(f.clientId, f.seq);
            }
            case "error" -> ("unavailable".equals(f.code) ? shared.unavailable : shared.errors).incrementAndGet();
            default -> { }
        }
    }

    @Override
    public void onSyncResult(Conn c, ServerFrame.SyncResult result) {
        for (Message m : result.messages) {
            if (m.clientId.startsWith(clientIdPrefix)) {
                seenSeqs.set((int) m.seq);
            } else {
                peerMessage(m.clientId, m.seq);
            }
        }
        if (result.hasMore) {
            c.write(Conn.frames().syncPage("y", result.nextCursor));
        }
    }

    private void peerMessage(String clientId, long seq) {
        if (clientId == null || !clientId.startsWith(peerClientIdPrefix)) {
            shared.unmatched.incrementAndGet();
            return;
        }
        int k = Integer.parseInt(clientId, peerClientIdPrefix.length(), clientId.length(), 10);
        if (k >= peerSeq.length) {
            peerSeq = Arrays.copyOf(peerSeq, Math.max(k + 1, peerSeq.length * 2));
        }
        if (peerSeq[k] == 0) {
            peerSeq[k] = seq;
        } else if (peerSeq[k] != seq) {
            shared.duplicated.incrementAndGet(); // the peer's message k exists twice
        } else {
            shared.redelivered.incrementAndGet(); // the same message by sync and live: the client drops it by seq
        }
        seenSeqs.set((int) seq);
        checkCaughtUp();
    }

    void checkCaughtUp() {
        if (!caughtUp && reconnecting && reconnectedAtNanos != 0
                && hasPeerMessages(shared.expectedPerClient()) && allAcked()) {
            caughtUp = true;
            caughtUpAtNanos = System.nanoTime();
            shared.caughtUp.incrementAndGet();
        }
    }

    @Override
    public void onClosed(Conn c, int closeCode, Throwable cause) {
        if (shared.stopping) {
            return;
        }
        shared.closes.incrementAndGet();
        reconnecting = true;
        attempts = 0;
        scheduleReconnect();
    }

    void scheduleReconnect() {
        attempts++;
        StormScenario.Config cfg = shared.config;
        double ceiling = Math.min(cfg.backoffCapMs(), cfg.backoffBaseMs() * Math.pow(2, attempts - 1));
        long delayMicros = (long) (random.nextDouble() * ceiling * 1000);
        conn.loop().schedule(this::reconnect, delayMicros, TimeUnit.MICROSECONDS);
    }

    private void reconnect() {
        shared.attempts.incrementAndGet();
        conn.connect().whenComplete((ok, e) -> {
            if (e != null && !shared.stopping) {
                conn.loop().execute(this::scheduleReconnect);
            }
        });
    }
}
