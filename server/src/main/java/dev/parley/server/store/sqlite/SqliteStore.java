package dev.parley.server.store.sqlite;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.Receipt;
import dev.parley.server.store.CommitListener;
import dev.parley.server.store.Conversation;
import dev.parley.server.store.GroupCommitWriter;
import dev.parley.server.store.ReceiptCommand;
import dev.parley.server.store.Rejection;
import dev.parley.server.store.SendCommand;
import dev.parley.server.store.SendOutcome;
import dev.parley.server.store.Store;
import dev.parley.server.store.SyncCursor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;
import org.flywaydb.core.Flyway;
import org.sqlite.SQLiteConfig;

/**
 * The embedded store: one SQLite file in WAL mode. Writes go through one {@link GroupCommitWriter} connection;
 * reads run on a small bounded pool of reader connections, which WAL lets proceed while the writer commits.
 */
public final class SqliteStore implements Store {
    private static final int READERS = 4;
    private static final int READ_QUEUE = 10_000;

    private final String url;
    private final SqliteWrites writes;
    private final GroupCommitWriter writer;
    private final HikariDataSource readPool;
    private final ThreadPoolExecutor readers;
    private final WalCheckpointer checkpointer;

    public SqliteStore(Path dataDir, boolean fullSync, int writeQueueCapacity, CommitListener listener,
                       LongConsumer commitNanos) {
        this(dataDir, fullSync, writeQueueCapacity, 0, listener, commitNanos);
    }

    /** @param commitLingerMicros how long the writer waits for more writes to join a batch's commit (0: none) */
    public SqliteStore(Path dataDir, boolean fullSync, int writeQueueCapacity, long commitLingerMicros,
                       CommitListener listener, LongConsumer commitNanos) {
        try {
            Files.createDirectories(dataDir);
            this.url = "jdbc:sqlite:" + dataDir.resolve("parley.db").toAbsolutePath();
            migrate();
            this.writes = new SqliteWrites(listener);
            Connection writeConnection = DriverManager.getConnection(url, config(fullSync).toProperties());
            try (java.sql.Statement st = writeConnection.createStatement()) {
                st.execute("PRAGMA wal_autocheckpoint = 0"); // the checkpointer does it, off the writer thread
            }
            this.checkpointer = new WalCheckpointer(DriverManager.getConnection(url, config(fullSync).toProperties()));
            this.writer = new GroupCommitWriter("parley-sqlite-writer", writeConnection, writeQueueCapacity,
                    writes::forgetCachedState, commitNanos, commitLingerMicros * 1000);
            this.readPool = readPool(fullSync);
            this.readers = readerThreads();
        } catch (Exception e) {
            throw new IllegalStateException("cannot open the SQLite store in " + dataDir + ": " + e.getMessage(), e);
        }
    }

    private static SQLiteConfig config(boolean fullSync) {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(fullSync ? SQLiteConfig.SynchronousMode.FULL : SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout(10_000);
        config.setTempStore(SQLiteConfig.TempStore.MEMORY);
        // sqlite-jdbc otherwise scans every statement's SQL with a regex after each execute; nothing reads the keys.
        config.setGetGeneratedKeys(false);
        // Indexes on random keys (client_id, message_id) touch pages all over the file: keep them in memory.
        config.setCacheSize(-65_536); // KiB: 64 MiB per connection at most
        config.setPragma(SQLiteConfig.Pragma.MMAP_SIZE, Long.toString(256L * 1024 * 1024));
        return config;
    }

    private void migrate() {
        Flyway.configure()
                .dataSource(url, null, null)
                .locations("classpath:db/migration/sqlite")
                .load()
                .migrate();
    }

    private HikariDataSource readPool(boolean fullSync) {
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName("parley-sqlite-readers");
        hikari.setJdbcUrl(url);
        hikari.setDataSourceProperties(config(fullSync).toProperties());
        // A fixed pool that never retires connections: reopening one throws away its page cache.
        hikari.setMaximumPoolSize(READERS);
        hikari.setMinimumIdle(READERS);
        hikari.setMaxLifetime(0);
        return new HikariDataSource(hikari);
    }

    private static ThreadPoolExecutor readerThreads() {
        AtomicInteger n = new AtomicInteger();
        return new ThreadPoolExecutor(READERS, READERS, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(READ_QUEUE),
                r -> {
                    Thread t = new Thread(r, "parley-sqlite-reader-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
    }

    @FunctionalInterface
    private interface Read<T> {
        T run(Connection c) throws SQLException;
    }

    /** Runs a read on a reader thread; a full read queue answers UNAVAILABLE rather than waiting. */
    private <T> CompletableFuture<T> read(Read<T> read) {
        CompletableFuture<T> future = new CompletableFuture<>();
        try {
            readers.execute(() -> {
                try (Connection c = readPool.getConnection()) {
                    future.complete(read.run(c));
                } catch (Rejection r) {
                    future.completeExceptionally(r);
                } catch (SQLException | RuntimeException e) {
                    future.completeExceptionally(new Rejection(ErrorCode.INTERNAL, "the store failed to read; retry"));
                    org.slf4j.LoggerFactory.getLogger(SqliteStore.class).error("read failed", e);
                }
            });
        } catch (RejectedExecutionException e) {
            future.completeExceptionally(new Rejection(ErrorCode.UNAVAILABLE, "the server is overloaded; retry later"));
        }
        return future;
    }

    /** Writes waiting for the writer: the depth of the group-commit queue. */
    public int queuedWrites() {
        return writer.queued();
    }

    @Override
    public CompletableFuture<SendOutcome> append(SendCommand command) {
        return writer.submit(tx -> writes.append(tx, command));
    }

    @Override
    public CompletableFuture<List<Receipt>> addReceipts(ReceiptCommand command) {
        return writer.submit(tx -> writes.addReceipts(tx, command));
    }

    @Override
    public CompletableFuture<ConversationCreated> createConversation(String creatorId, List<String> memberIds,
                                                                     String title, boolean direct) {
        return writer.submit(tx -> {
            Connection c = tx.connection();
            String directKey = direct ? directKey(creatorId, memberIds) : null;
            String existing = direct ? writes.findDirect(c, directKey) : null;
            if (existing != null) {
                return new ConversationCreated(SqliteReads.conversation(c, existing), false);
            }
            String id = writes.createConversation(c, creatorId, memberIds, title, directKey);
            return new ConversationCreated(SqliteReads.conversation(c, id), true);
        });
    }

    private static String directKey(String creatorId, List<String> memberIds) {
        if (memberIds.size() != 1) {
            throw new Rejection(ErrorCode.BAD_REQUEST, "a direct conversation has exactly one other member");
        }
        String other = memberIds.get(0);
        return creatorId.compareTo(other) <= 0 ? creatorId + "\n" + other : other + "\n" + creatorId;
    }

    @Override
    public CompletableFuture<Conversation> addMembers(String conversationId, String byUserId, List<String> memberIds) {
        return writer.submit(tx -> {
            Connection c = tx.connection();
            Conversation conversation = SqliteReads.conversation(c, conversationId);
            if (conversation == null) {
                throw new Rejection(ErrorCode.NOT_FOUND, "no conversation " + conversationId);
            }
            if (!conversation.members().contains(byUserId)) {
                throw new Rejection(ErrorCode.FORBIDDEN, "not a member of conversation " + conversationId);
            }
            if (conversation.direct()) {
                throw new Rejection(ErrorCode.CONFLICT, "a direct conversation cannot take more members");
            }
            writes.insertMembers(c, conversationId, memberIds, System.currentTimeMillis());
            return SqliteReads.conversation(c, conversationId);
        });
    }

    @Override
    public CompletableFuture<List<Position>> positions(String userId, List<String> conversationIds) {
        return read(c -> SqliteReads.positions(c, userId, conversationIds));
    }

    @Override
    public CompletableFuture<List<Conversation>> conversationsOf(String userId) {
        return read(c -> SqliteReads.conversationsOf(c, userId));
    }

    @Override
    public CompletableFuture<HistoryPage> history(String userId, String conversationId, Long beforeSeq, int limit) {
        return read(c -> {
            if (SqliteReads.conversation(c, conversationId) == null) {
                throw new Rejection(ErrorCode.NOT_FOUND, "no conversation " + conversationId);
            }
            return SqliteReads.history(c, userId, conversationId, beforeSeq, limit);
        });
    }

    @Override
    public CompletableFuture<SyncPage> sync(String userId, SyncCursor cursor, int limit) {
        return read(c -> SqliteReads.sync(c, userId, cursor, limit));
    }

    @Override
    public CompletableFuture<Boolean> checkWritable() {
        return writer.submit(tx -> {
            writes.touchHealth(tx.connection());
            return true;
        });
    }

    @Override
    public void drain(long timeoutMs) throws InterruptedException {
        writer.drain(timeoutMs);
    }

    @Override
    public void close() {
        writer.close();
        checkpointer.close();
        readers.shutdown();
        try {
            readers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        readPool.close();
    }
}
