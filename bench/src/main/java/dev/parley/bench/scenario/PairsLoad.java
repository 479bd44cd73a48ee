package dev.parley.bench.scenario;

import dev.parley.bench.client.Conn;
import dev.parley.bench.client.WsClients;
import dev.parley.bench.stats.Latency;
import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The open-loop driver of the pairs scenario. Each event loop paces the senders it owns: message j of a phase is
 * due at t0 + j / rate, goes to sender j mod m, and its latency is measured from that intended time, so a server
 * (or generator) that falls behind shows up as latency, never as a quietly lower rate. Due messages are written
 * to their sockets and flushed once per tick.
 */
final class PairsLoad {
    /** Shortest pause between ticks: sends due in the same 200 µs go out in one flush. */
    private static final long MIN_TICK_NANOS = 200_000;

    private final WsClients clients;
    private final List<List<Pair>> pairsByLoop = new ArrayList<>();
    private final String body;
    // Written by the main thread before a phase starts, read by the loops (published by the executor hand-off).
    private final List<LoopStats[]> phases = new ArrayList<>();

    PairsLoad(WsClients clients, int bodyBytes) {
        this.clients = clients;
        this.body = "x".repeat(bodyBytes);
        this.outsidePhases = new LoopStats[clients.loopCount()];
        for (int i = 0; i < clients.loopCount(); i++) {
            pairsByLoop.add(new ArrayList<>());
            outsidePhases[i] = new LoopStats();
        }
    }

    void add(Pair pair) {
        pairsByLoop.get(Math.floorMod(pair.index, clients.loopCount())).add(pair);
    }

    /** The stats of a phase for the current loop. */
    LoopStats stats(int phase) {
        int loop = loopIndexOfCurrentThread();
        return phase < phases.size() ? phases.get(phase)[loop] : outsidePhases[loop];
    }

    /** Where frames that belong to no phase are counted (there should be none). */
    private final LoopStats[] outsidePhases;

    private int loopIndexOfCurrentThread() {
        for (int i = 0; i < clients.loopCount(); i++) {
            if (clients.loop(i).inEventLoop()) {
                return i;
            }
        }
        throw new IllegalStateException("not on a generator event loop");
    }

    private volatile long measureFromNanos;

    void record(Latency latency, long intendedNanos) {
        record(latency, intendedNanos, System.nanoTime());
    }

    void record(Latency latency, long intendedNanos, long atNanos) {
        if (intendedNanos >= measureFromNanos) {
            latency.recordNanos(atNanos - intendedNanos);
        }
    }

    /** Runs one phase at a total rate for a duration (the first warmup of it is not measured); returns its stats. */
    int start(double totalRate, long durationNanos, long warmupNanos) {
        int phase = phases.size();
        if (phase > 120) {
            throw new IllegalStateException("too many phases");
        }
        LoopStats[] perLoop = new LoopStats[clients.loopCount()];
        for (int i = 0; i < perLoop.length; i++) {
            perLoop[i] = new LoopStats();
        }
        phases.add(perLoop);
        int totalPairs = pairsByLoop.stream().mapToInt(List::size).sum();
        long t0 = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
        measureFromNanos = t0 + warmupNanos;
        for (int i = 0; i < clients.loopCount(); i++) {
            List<Pair> pairs = pairsByLoop.get(i);
            if (pairs.isEmpty()) {
                continue;
            }
            double loopRate = totalRate * pairs.size() / totalPairs;
            long total = (long) Math.floor(loopRate * durationNanos / 1e9);
            new Pacer(clients.loop(i), pairs, perLoop[i], phase, loopRate, t0, total, measureFromNanos).schedule(t0);
        }
        return phase;
    }

    /** Waits until no message of any pair is outstanding, or the timeout passes; true when all settled. */
    boolean awaitSettled(long timeoutNanos) throws InterruptedException {
        return Deadline.await(System.nanoTime() + timeoutNanos, () -> !onLoops(pairs -> pairs.stream().anyMatch(Pair::busy)));
    }

    /** The phase's stats merged over all loops, read on the loops themselves. */
    LoopStats merged(int phase) throws InterruptedException {
        LoopStats total = new LoopStats();
        for (int i = 0; i < clients.loopCount(); i++) {
            LoopStats s = phases.get(phase)[i];
            LoopStats copy = call(clients.loop(i), () -> {
                LoopStats c = new LoopStats();
                c.add(s);
                return c;
            });
            total.add(copy);
        }
        return total;
    }

    /** {unacked, not received, no receipt} over every pair's messages of the given phase. */
    long[] losses(int phase) throws InterruptedException {
        long[] total = new long[3];
        for (int i = 0; i < clients.loopCount(); i++) {
            List<Pair> pairs = pairsByLoop.get(i);
            long[] part = call(clients.loop(i), () -> {
                long[] sum = new long[3];
                for (Pair p : pairs) {
                    int from = 0;
                    while (from < p.sent && p.phase[from] != phase) {
                        from++;
                    }
                    int to = from;
                    while (to < p.sent && p.phase[to] == phase) {
                        to++;
                    }
                    long[] l = p.lossesBetween(from, to);
                    for (int j = 0; j < 3; j++) {
                        sum[j] += l[j];
                    }
                }
                return sum;
            });
            for (int j = 0; j < 3; j++) {
                total[j] += part[j];
            }
        }
        return total;
    }

    private boolean onLoops(java.util.function.Predicate<List<Pair>> test) throws InterruptedException {
        for (int i = 0; i < clients.loopCount(); i++) {
            List<Pair> pairs = pairsByLoop.get(i);
            if (call(clients.loop(i), () -> test.test(pairs))) {
                return true;
            }
        }
        return false;
    }

    private static <T> T call(EventLoop loop, java.util.concurrent.Callable<T> task) throws InterruptedException {
        try {
            return loop.submit(task).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("a generator loop did not answer", e);
        }
    }

    /** Sends the due messages of one loop's senders, tick by tick, until the phase's count is reached. */
    private final class Pacer implements Runnable {
        private final EventLoop loop;
        private final List<Pair> pairs;
        private final LoopStats stats;
        private final int phase;
        private final double nanosPerMessage;
        private final long t0;
        private final long total;
        private final long measureFrom;
        private long j;
        private final List<Conn> written = new ArrayList<>();

        Pacer(EventLoop loop, List<Pair> pairs, LoopStats stats, int phase, double rate, long t0, long total, long measureFrom) {
            this.loop = loop;
            this.pairs = pairs;
            this.stats = stats;
            this.phase = phase;
            this.nanosPerMessage = 1e9 / rate;
            this.t0 = t0;
            this.total = total;
            this.measureFrom = measureFrom;
        }

        void schedule(long at) {
            loop.schedule(this, Math.max(0, at - System.nanoTime()), TimeUnit.NANOSECONDS);
        }

        @Override
        public void run() {
            long now = System.nanoTime();
            long due = Math.min(total, (long) Math.floor((now - t0) / nanosPerMessage) + 1);
            int m = pairs.size();
            for (; j < due; j++) {
                Pair pair = pairs.get((int) (j % m));
                long intendedAt = t0 + (long) (j * nanosPerMessage);
                int k = pair.next(intendedAt, phase);
                if (pair.sender.write(Conn.frames().send(Integer.toString(k), pair.conversationId, pair.clientIdPrefix, k, body))) {
                    written.add(pair.sender);
                    stats.sent++;
                    if (intendedAt >= measureFrom) {
                        stats.sentMeasured++;
                    }
                } else {
                    pair.failed();
                    stats.error("not_connected");
                }
            }
            for (Conn c : written) {
                c.flush();
            }
            written.clear();
            if (j < total) {
                long next = t0 + (long) (j * nanosPerMessage);
                schedule(Math.max(next, System.nanoTime() + MIN_TICK_NANOS));
            }
        }
    }
}
