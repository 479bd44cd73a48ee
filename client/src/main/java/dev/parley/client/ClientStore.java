package dev.parley.client;

import java.util.List;
import java.util.Map;

/**
 * What the client must remember across restarts of the app: the outbox (sends not yet acknowledged, in order)
 * and the cursors (the last seq handed to the app per conversation, and the last server time seen).
 * The client calls a store from its own thread and from the callback executor, so implementations must be
 * thread-safe. Implementations: {@link InMemoryClientStore} (the default, forgets on exit) and {@link FileClientStore} (JVM). An Android app can back one with SQLite or DataStore.
 */
public interface ClientStore {
    /** The unacknowledged sends, oldest first. */
    List<PendingSend> loadOutbox();

    void addToOutbox(PendingSend send);

    void removeFromOutbox(String clientId);

    /** Conversation id to the last seq the app has been given. */
    Map<String, Long> loadCursors();

    /** Called only after the app's listener has handled every message up to {@code seq}. */
    void saveCursor(String conversationId, long seq);

    /** The latest server time (epoch ms) the client knows it saw everything before; 0 if never connected. */
    long loadLastTs();

    void saveLastTs(long ts);
}
