package dev.parley.client;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The default store: survives reconnects, not a restart of the app. Thread-safe. */
public final class InMemoryClientStore implements ClientStore {
    private final Map<String, PendingSend> outbox = new LinkedHashMap<>(); // guarded by this
    private final Map<String, Long> cursors = new HashMap<>(); // guarded by this
    private long lastTs; // guarded by this

    @Override
    public synchronized List<PendingSend> loadOutbox() {
        return new ArrayList<>(outbox.values());
    }

    @Override
    public synchronized void addToOutbox(PendingSend send) {
        outbox.put(send.clientId(), send);
    }

    @Override
    public synchronized void removeFromOutbox(String clientId) {
        outbox.remove(clientId);
    }

    @Override
    public synchronized Map<String, Long> loadCursors() {
        return new HashMap<>(cursors);
    }

    @Override
    public synchronized void saveCursor(String conversationId, long seq) {
        cursors.merge(conversationId, seq, Math::max);
    }

    @Override
    public synchronized long loadLastTs() {
        return lastTs;
    }

    @Override
    public synchronized void saveLastTs(long ts) {
        lastTs = Math.max(lastTs, ts);
    }
}
