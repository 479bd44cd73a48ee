package dev.parley.bench.jmh;

import dev.parley.server.store.CommitListener;
import dev.parley.server.store.SendCommand;
import dev.parley.server.store.SendOutcome;
import dev.parley.server.store.sqlite.SqliteStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The store's group commit: N appends submitted at once to the SQLite store's single writer, then awaited. The
 * writer takes everything queued as one transaction with one commit (one fsync with FULL), so the throughput per
 * message grows with the batch. Scores are messages per second (one operation = one message).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 4)
public class StoreAppendBenchmark {
    @Param({"FULL", "NORMAL"})
    public String durability;

    private Path dir;
    private SqliteStore store;
    private String conversationId;
    private long next;

    @Setup(Level.Trial)
    public void open() throws IOException {
        dir = Files.createTempDirectory("parley-jmh-store");
        store = new SqliteStore(dir, "FULL".equals(durability), 65_536, CommitListener.NONE, nanos -> { });
        conversationId = store.createConversation("alice", List.of("bob"), null, false).join().conversation().id();
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        store.close();
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private void appendBatch(int n) {
        @SuppressWarnings("unchecked")
        CompletableFuture<SendOutcome>[] futures = new CompletableFuture[n];
        for (int i = 0; i < n; i++) {
            futures[i] = store.append(new SendCommand("alice", conversationId, "jmh-" + next++, "x".repeat(100), "conn-1"));
        }
        CompletableFuture.allOf(futures).join();
    }

    @Benchmark
    @OperationsPerInvocation(1)
    public void batchOf1() {
        appendBatch(1);
    }

    @Benchmark
    @OperationsPerInvocation(16)
    public void batchOf16() {
        appendBatch(16);
    }

    @Benchmark
    @OperationsPerInvocation(256)
    public void batchOf256() {
        appendBatch(256);
    }
}
