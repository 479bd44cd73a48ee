package dev.parley.client;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A store for JVM apps: two small JSON files in a directory, each replaced atomically on every change,
 * so a crash leaves either the old or the new version. Meant for one client at a time per directory.
 * Thread-safe.
 */
public final class FileClientStore implements ClientStore {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path outboxFile;
    private final Path cursorsFile;
    private final LinkedHashMap<String, Map<String, String>> outbox; // guarded by this, clientId -> fields
    private final Map<String, Long> cursors; // guarded by this
    private long lastTs; // guarded by this

    public FileClientStore(Path directory) {
        try {
            Files.createDirectories(directory);
            this.outboxFile = directory.resolve("outbox.json");
            this.cursorsFile = directory.resolve("cursors.json");
            this.outbox = Files.exists(outboxFile)
                    ? JSON.readValue(outboxFile.toFile(), new TypeReference<LinkedHashMap<String, Map<String, String>>>() { })
                    : new LinkedHashMap<>();
            CursorFile c = Files.exists(cursorsFile) ? JSON.readValue(cursorsFile.toFile(), CursorFile.class) : new CursorFile();
            this.cursors = c.cursors == null ? new HashMap<>() : new HashMap<>(c.cursors);
            this.lastTs = c.lastTs;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the client store in " + directory, e);
        }
    }

    @Override
    public synchronized List<PendingSend> loadOutbox() {
        List<PendingSend> sends = new ArrayList<>();
        for (Map.Entry<String, Map<String, String>> e : outbox.entrySet()) {
            sends.add(new PendingSend(e.getValue().get("conversation_id"), e.getKey(), e.getValue().get("body")));
        }
        return sends;
    }

    @Override
    public synchronized void addToOutbox(PendingSend send) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("conversation_id", send.conversationId());
        fields.put("body", send.body());
        outbox.put(send.clientId(), fields);
        write(outboxFile, outbox);
    }

    @Override
    public synchronized void removeFromOutbox(String clientId) {
        if (outbox.remove(clientId) != null) {
            write(outboxFile, outbox);
        }
    }

    @Override
    public synchronized Map<String, Long> loadCursors() {
        return new HashMap<>(cursors);
    }

    @Override
    public synchronized void saveCursor(String conversationId, long seq) {
        Long old = cursors.get(conversationId);
        if (old == null || old < seq) {
            cursors.put(conversationId, seq);
            writeCursors();
        }
    }

    @Override
    public synchronized long loadLastTs() {
        return lastTs;
    }

    @Override
    public synchronized void saveLastTs(long ts) {
        if (ts > lastTs) {
            lastTs = ts;
            writeCursors();
        }
    }

    private void writeCursors() {
        CursorFile c = new CursorFile();
        c.cursors = cursors;
        c.lastTs = lastTs;
        write(cursorsFile, c);
    }

    private static void write(Path file, Object value) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            JSON.writeValue(tmp.toFile(), value);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** The shape of cursors.json. */
    static final class CursorFile {
        public Map<String, Long> cursors;
        public long lastTs;
    }
}
