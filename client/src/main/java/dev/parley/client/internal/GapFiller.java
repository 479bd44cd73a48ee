package dev.parley.client.internal;

import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.Message;
import dev.parley.protocol.Receipt;
import dev.parley.protocol.ServerFrame;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Turns live frames and sync pages into one gap-free, duplicate-free stream per conversation.
 *
 * <p>Each subscribed conversation has a cursor: the last seq passed on. Messages (live or synced) wait in a
 * per-conversation buffer and leave it only in seq order, starting at cursor + 1, so a live message never
 * overtakes the missed ones a sync is still fetching, and anything at or below the cursor is a duplicate.
 * The client's own sends take their seq from the ack and advance the cursor without reaching the listener.
 * A gap that outlives a short grace period (an ack still in flight) is filled with a cursor sync.
 *
 * <p>After each (re)subscribe: conversations with a cursor behind {@code last_seq} get a cursor sync (on the
 * first subscribe of a reconnect, every conversation with a cursor, with {@code receipts_since_ts} for the
 * receipts made while away); those without a cursor get a {@code since_ts} sync when the client has seen the
 * server before (their first synced seq fixes the cursor), else start at {@code last_seq}. Sync jobs run one at
 * a time, paging through {@code has_more}. Loop thread only.
 */
final class GapFiller {
    /** How far before the last server time seen a since_ts sync starts; duplicates are dropped anyway. */
    static final long SINCE_MARGIN_MS = 5_000;
    private static final long GAP_GRACE_MS = 250;
    private static final int RECEIPTS_REMEMBERED = 20_000;

    private final RealParleyClient client;
    private final int pageLimit;
    private final Map<String, Long> cursors; // loop
    private final Set<String> subscribed = new HashSet<>(); // loop
    private final Map<String, TreeMap<Long, Message>> pending = new HashMap<>(); // loop; OWN marks own sends
    private final Map<String, Long> awaitingBaseline = new HashMap<>(); // loop; conversation -> subscribed last_seq
    private final ArrayDeque<SyncJob> jobs = new ArrayDeque<>(); // loop
    private SyncJob running; // loop
    private final Set<String> gapChecks = new HashSet<>(); // loop
    private final Set<String> receiptsSeen = java.util.Collections.newSetFromMap(
            new LinkedHashMap<String, Boolean>() {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > RECEIPTS_REMEMBERED;
                }
            }); // loop

    /** Stands in the buffer for a seq taken by this client's own send. */
    private static final Message OWN = new Message("own", "own", 0, 0, "own", "own", "own");

    private static final class SyncJob {
        final Map<String, Long> cursors; // exactly one of cursors and sinceTs
        final Long sinceTs;
        final Long receiptsSinceTs; // only with cursors
        final Set<String> baselineTargets;
        final Map<String, Long> firstSeq = new HashMap<>();

        private SyncJob(Map<String, Long> cursors, Long sinceTs, Long receiptsSinceTs, Set<String> baselineTargets) {
            this.cursors = cursors;
            this.sinceTs = sinceTs;
            this.receiptsSinceTs = receiptsSinceTs;
            this.baselineTargets = baselineTargets;
        }

        static SyncJob cursors(Map<String, Long> cursors, Long receiptsSinceTs) {
            return new SyncJob(cursors, null, receiptsSinceTs, Set.of());
        }

        static SyncJob since(long lastTs, Set<String> baselineTargets) {
            return new SyncJob(null, Math.max(0, lastTs - SINCE_MARGIN_MS), null, baselineTargets);
        }
    }

    GapFiller(RealParleyClient client, int pageLimit, Map<String, Long> storedCursors) {
        this.client = client;
        this.pageLimit = pageLimit;
        this.cursors = new HashMap<>(storedCursors);
    }

    void onSubscribed(List<ServerFrame.Position> positions, boolean firstOnConnection, long lastTs) {
        Map<String, Long> known = new LinkedHashMap<>();
        Map<String, Long> behind = new LinkedHashMap<>();
        Set<String> cursorless = new HashSet<>();
        for (ServerFrame.Position p : positions) {
            subscribed.add(p.id);
            Long cursor = cursors.get(p.id);
            if (cursor != null) {
                known.put(p.id, cursor);
                if (cursor < p.lastSeq) {
                    behind.put(p.id, cursor);
                }
            } else if (lastTs > 0) {
                awaitingBaseline.put(p.id, p.lastSeq);
                cursorless.add(p.id);
            } else {
                setBaseline(p.id, p.lastSeq);
            }
        }
        if (firstOnConnection && lastTs > 0 && !known.isEmpty()) {
            // Back after a disconnect: the exact messages missed, plus the receipts made meanwhile.
            jobs.add(SyncJob.cursors(known, Math.max(0, lastTs - SINCE_MARGIN_MS)));
        } else if (!behind.isEmpty()) {
            jobs.add(SyncJob.cursors(behind, null));
        }
        if (!cursorless.isEmpty()) {
            jobs.add(SyncJob.since(lastTs, cursorless));
        }
        for (ServerFrame.Position p : positions) {
            drain(p.id);
        }
        runNext();
    }

    /** Authenticated with nothing to subscribe: still collect the receipts missed while away. */
    void onAuthedWithoutSubscriptions(long lastTs) {
        if (lastTs > 0) {
            jobs.add(SyncJob.since(lastTs, Set.of()));
        }
        runNext();
    }

    void unsubscribe(List<String> conversationIds) {
        subscribed.removeAll(conversationIds);
        for (String id : conversationIds) {
            pending.remove(id);
            awaitingBaseline.remove(id);
        }
    }

    void onConnectionLost() {
        running = null;
        jobs.clear();
    }

    void onLive(Message m) {
        if (accept(m, null)) {
            drain(m.conversationId);
        }
    }

    /** The ack of this client's own send: its seq is taken, the listener does not see it. */
    void onOwnAck(String conversationId, long seq) {
        Long cursor = cursors.get(conversationId);
        if (!subscribed.contains(conversationId) || (cursor == null && !awaitingBaseline.containsKey(conversationId))) {
            return;
        }
        if (cursor == null || seq > cursor) {
            pending.computeIfAbsent(conversationId, k -> new TreeMap<>()).putIfAbsent(seq, OWN);
            drain(conversationId);
        }
    }

    void onReceipt(Receipt r) {
        if (receiptsSeen.add(r.messageId + '|' + r.userId + '|' + r.status.wire())) {
            client.deliverReceipt(r);
        }
    }

    /** Buffers a message unless it is a duplicate; true if it was taken. */
    private boolean accept(Message m, SyncJob from) {
        String conv = m.conversationId;
        if (!subscribed.contains(conv)) {
            return false;
        }
        if (from != null && from.baselineTargets.contains(conv)) {
            from.firstSeq.merge(conv, m.seq, Math::min);
        }
        Long cursor = cursors.get(conv);
        if (cursor != null && m.seq <= cursor) {
            return false;
        }
        Message item = client.isOwnUnacked(m) ? OWN : m;
        pending.computeIfAbsent(conv, k -> new TreeMap<>()).putIfAbsent(m.seq, item);
        if (item == OWN) {
            client.completeOwnFromMessage(m);
        }
        return true;
    }

    private void drain(String conv) {
        Long cursor = cursors.get(conv);
        TreeMap<Long, Message> buffer = pending.get(conv);
        if (cursor == null || awaitingBaseline.containsKey(conv) || buffer == null) {
            return;
        }
        long c = cursor;
        List<Message> batch = new ArrayList<>();
        while (!buffer.isEmpty() && buffer.firstKey() <= c + 1) {
            Map.Entry<Long, Message> first = buffer.pollFirstEntry();
            if (first.getKey() <= c) {
                continue;
            }
            c = first.getKey();
            if (first.getValue() != OWN) {
                batch.add(first.getValue());
            }
        }
        if (c != cursor) {
            cursors.put(conv, c);
            client.deliverMessages(conv, batch, c);
        }
        if (buffer.isEmpty()) {
            pending.remove(conv);
        } else {
            scheduleGapCheck(conv);
        }
    }

    private void setBaseline(String conv, long seq) {
        cursors.put(conv, seq);
        client.saveBaseline(conv, seq);
    }

    private void scheduleGapCheck(String conv) {
        if (!gapChecks.add(conv)) {
            return;
        }
        client.schedule(() -> {
            gapChecks.remove(conv);
            Long cursor = cursors.get(conv);
            TreeMap<Long, Message> buffer = pending.get(conv);
            if (cursor == null || buffer == null || buffer.isEmpty() || buffer.firstKey() <= cursor + 1
                    || !client.isAuthed(client.current())) {
                return;
            }
            Map<String, Long> one = new HashMap<>();
            one.put(conv, cursor);
            jobs.add(SyncJob.cursors(one, null));
            runNext();
        }, GAP_GRACE_MS, TimeUnit.MILLISECONDS);
    }

    private void runNext() {
        if (running != null) {
            return;
        }
        if (jobs.isEmpty()) {
            client.onSyncIdle();
            return;
        }
        Connection c = client.current();
        if (!client.isAuthed(c)) {
            jobs.clear();
            return;
        }
        SyncJob job = jobs.poll();
        running = job;
        c.request("y", ref -> Frames.sync(ref, job.sinceTs, job.cursors, job.receiptsSinceTs, null, pageLimit),
                reply -> onPage(c, job, reply));
    }

    private void onPage(Connection c, SyncJob job, ServerFrame reply) {
        if (job != running) {
            return;
        }
        if (reply instanceof ServerFrame.SyncResult) {
            ServerFrame.SyncResult page = (ServerFrame.SyncResult) reply;
            Set<String> touched = new HashSet<>();
            for (Message m : page.messages) {
                if (accept(m, job)) {
                    touched.add(m.conversationId);
                }
            }
            for (Receipt r : page.receipts) {
                onReceipt(r);
            }
            for (String conv : touched) {
                drain(conv);
            }
            if (page.hasMore && page.nextCursor != null) {
                c.request("y", ref -> Frames.sync(ref, null, null, null, page.nextCursor, pageLimit),
                        next -> onPage(c, job, next));
                return;
            }
        } else if (reply instanceof ServerFrame.Error) {
            ServerFrame.Error error = (ServerFrame.Error) reply;
            client.reportError(error.code, "sync failed: " + error.message);
        }
        finish(job);
    }

    private void finish(SyncJob job) {
        running = null;
        for (String conv : job.baselineTargets) {
            Long lastSeq = awaitingBaseline.remove(conv);
            if (lastSeq == null) {
                continue;
            }
            Long first = job.firstSeq.get(conv);
            setBaseline(conv, first != null ? Math.min(first - 1, lastSeq) : lastSeq);
            drain(conv);
        }
        runNext();
    }
}
