package dev.parley.server.store;

import dev.parley.protocol.ErrorCode;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single writer: one thread takes every write that is waiting, runs them in one transaction, commits once
 * (one fsync for the whole batch), then runs each write's after-commit actions and completes its future, in order.
 *
 * <p>Each task runs inside a savepoint, so a {@link Rejection} undoes only that task. If the transaction itself
 * fails, the batch is rolled back and each task is retried alone, so one bad write cannot fail its neighbours.
 */
public final class GroupCommitWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GroupCommitWriter.class);
    private static final int MAX_BATCH = 1024;

    /** A unit of work run on the writer's connection. */
    public interface Task<T> {
        T run(Tx tx) throws SQLException;
    }

    /** What a task sees of the transaction it runs in. */
    public interface Tx {
        Connection connection();

        /** Runs after the commit, on the writer thread, before the task's future completes. */
        void afterCommit(Runnable action);
    }

    private final Connection connection;
    private final Savepoint savepoint;
    private final Runnable onRollback;
    private final LongConsumer commitNanos;
    private final long lingerNanos;
    private final BlockingQueue<Entry<?>> queue;
    private final Thread thread;
    // Written by submitters and drain(); read by the writer thread.
    private volatile boolean accepting = true;
    private volatile boolean running = true;
    // Owned by the writer thread; read by drain() to know when the last batch is done.
    private volatile boolean busy;

    /**
     * @param onRollback called on the writer thread after a rollback, to forget any state cached from the batch
     * @param commitNanos hears how long each commit took
     * @param lingerNanos how long to wait after a batch's first write for more to join it (0: commit at once); a
     *                    commit costs about as much CPU as several writes, so fewer, larger ones are cheaper
     */
    public GroupCommitWriter(String name, Connection connection, int capacity, Runnable onRollback, LongConsumer commitNanos,
                             long lingerNanos) throws SQLException {
        this.connection = connection;
        this.onRollback = onRollback;
        this.commitNanos = commitNanos;
        this.lingerNanos = lingerNanos;
        this.queue = new ArrayBlockingQueue<>(capacity);
        connection.setAutoCommit(false);
        this.savepoint = new Savepoint(connection);
        this.thread = new Thread(this::loop, name);
        thread.setDaemon(false);
        thread.start();
    }

    /** Never blocks: a full queue or a draining writer fails the future with UNAVAILABLE. */
    public <T> CompletableFuture<T> submit(Task<T> task) {
        if (!accepting) {
            return CompletableFuture.failedFuture(new Rejection(ErrorCode.UNAVAILABLE, "the server is shutting down"));
        }
        Entry<T> entry = new Entry<>(task);
        if (!queue.offer(entry)) {
            return CompletableFuture.failedFuture(new Rejection(ErrorCode.UNAVAILABLE, "the server is overloaded; retry later"));
        }
        return entry.future;
    }

    public int queued() {
        return queue.size();
    }

    /** Stops taking new writes and waits until every accepted one has committed. */
    public void drain(long timeoutMs) throws InterruptedException {
        accepting = false;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while ((!queue.isEmpty() || busy) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
            TimeUnit.MILLISECONDS.sleep(1);
        }
    }

    @Override
    public void close() {
        accepting = false;
        running = false;
        try {
            thread.join(10_000);
            connection.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (SQLException e) {
            log.warn("closing the writer connection failed", e);
        }
    }

    private void loop() {
        List<Entry<?>> batch = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            try {
                Entry<?> first = queue.poll(50, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                busy = true;
                batch.add(first);
                if (lingerNanos > 0 && queue.size() < MAX_BATCH - 1) {
                    java.util.concurrent.locks.LockSupport.parkNanos(lingerNanos);
                }
                queue.drainTo(batch, MAX_BATCH - 1);
                commit(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException | Error e) {
                log.error("writer loop failed", e);
                batch.forEach(entry -> entry.fail(new Rejection(ErrorCode.INTERNAL, "the store failed")));
            } finally {
                batch.clear();
                busy = false;
            }
        }
    }

    private void commit(List<Entry<?>> batch) {
        long started = System.nanoTime();
        try {
            for (Entry<?> entry : batch) {
                entry.runInSavepoint(connection, savepoint);
            }
            connection.commit();
        } catch (SQLException e) {
            rollback();
            if (batch.size() > 1) {
                log.warn("batch of {} failed ({}); retrying each write alone", batch.size(), e.getMessage());
                for (Entry<?> entry : batch) {
                    entry.reset();
                    commit(List.of(entry));
                }
            } else {
                log.error("write failed", e);
                batch.get(0).fail(new Rejection(ErrorCode.INTERNAL, "the store could not commit; retry"));
            }
            return;
        }
        commitNanos.accept(System.nanoTime() - started);
        for (Entry<?> entry : batch) {
            entry.finish();
        }
    }

    private void rollback() {
        try {
            connection.rollback();
        } catch (SQLException e) {
            log.error("rollback failed", e);
        }
        onRollback.run();
    }

    /** One named savepoint, its three statements prepared once: they run for every write. */
    private static final class Savepoint {
        private final PreparedStatement set;
        private final PreparedStatement release;
        private final PreparedStatement rollback;

        Savepoint(Connection c) throws SQLException {
            set = c.prepareStatement("SAVEPOINT task");
            release = c.prepareStatement("RELEASE task");
            rollback = c.prepareStatement("ROLLBACK TO task");
        }

        void set() throws SQLException {
            set.execute();
        }

        void release() throws SQLException {
            release.execute();
        }

        void rollback() throws SQLException {
            rollback.execute();
            release.execute();
        }
    }

    private static final class Entry<T> implements Tx {
        final Task<T> task;
        final CompletableFuture<T> future = new CompletableFuture<>();
        Connection connection;
        List<Runnable> afterCommit = new ArrayList<>(2);
        T result;
        Rejection rejection;

        Entry(Task<T> task) {
            this.task = task;
        }

        void runInSavepoint(Connection c, Savepoint savepoint) throws SQLException {
            connection = c;
            savepoint.set();
            try {
                result = task.run(this);
                savepoint.release();
            } catch (Rejection r) {
                savepoint.rollback();
                rejection = r;
                afterCommit.clear();
            }
        }

        void reset() {
            afterCommit = new ArrayList<>(2);
            result = null;
            rejection = null;
        }

        void finish() {
            if (rejection != null) {
                future.completeExceptionally(rejection);
                return;
            }
            for (Runnable action : afterCommit) {
                try {
                    action.run();
                } catch (RuntimeException e) {
                    log.error("after-commit action failed", e);
                }
            }
            future.complete(result);
        }

        void fail(Throwable t) {
            future.completeExceptionally(t);
        }

        @Override
        public Connection connection() {
            return connection;
        }

        @Override
        public void afterCommit(Runnable action) {
            afterCommit.add(action);
        }
    }
}
