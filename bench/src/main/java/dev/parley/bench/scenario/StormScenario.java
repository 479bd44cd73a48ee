package dev.parley.bench.scenario;

import dev.parley.bench.client.Conn;
import dev.parley.bench.client.WsClients;
import dev.parley.bench.stats.CpuWindow;
import dev.parley.bench.stats.Latency;
import dev.parley.bench.target.HttpSetup;
import dev.parley.bench.target.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code storm}: C clients in 1:1 conversations, connected and subscribed. Each sends some messages, then one more
 * that is still in flight when the server is restarted (or, against --url, every connection is cut). Every client
 * reconnects with backoff and full jitter, syncs by cursor, resends what was not acked and sends more; the peers
 * must end up with every message exactly once. Reports the time until all are back and all are caught up.
 */
public final class StormScenario {
    public record Config(int clients, int messagesBefore, int messagesAfter, double backoffBaseMs, double backoffCapMs,
                         boolean restart, double timeoutSeconds, int threads) {
        public Config {
            if (clients < 2 || clients % 2 != 0 || messagesBefore < 0 || messagesAfter < 0) {
                throw new IllegalArgumentException("clients must be an even number >= 2; message counts >= 0");
            }
        }
    }

    /** Counters every client shares. */
    static final class Shared {
        final Config config;
        volatile boolean stopping;
        final AtomicInteger reconnected = new AtomicInteger();
        final AtomicInteger caughtUp = new AtomicInteger();
        final AtomicInteger closes = new AtomicInteger();
        final AtomicLong attempts = new AtomicLong();
        final AtomicLong duplicated = new AtomicLong();
        final AtomicLong redelivered = new AtomicLong();
        final AtomicLong outOfOrder = new AtomicLong();
        final AtomicLong unmatched = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        final AtomicLong unavailable = new AtomicLong();
        final AtomicLong resent = new AtomicLong();

        Shared(Config config) {
            this.config = config;
        }

        int expectedPerClient() {
            return config.messagesBefore() + 1 + config.messagesAfter();
        }
    }

    private StormScenario() {
    }

    public static Report run(Target target, Config c) throws InterruptedException {
        String run = RunIds.next();
        boolean restart = c.restart() && target.canRestart();
        HttpSetup http = new HttpSetup(target.httpUri(), 32);
        int n = c.clients();
        List<String> tokens = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            tokens.add(target.token(run + "-u" + i));
        }
        List<CompletableFuture<String>> created = new ArrayList<>();
        for (int i = 0; i < n; i += 2) {
            created.add(http.createConversation(tokens.get(i), List.of(run + "-u" + (i + 1)), true));
        }
        List<String> conversations = HttpSetup.all(created);
        Shared shared = new Shared(c);
        List<StormClient> all = new ArrayList<>(n);
        try (WsClients clients = new WsClients(target.wsUri(), c.threads())) {
            List<Conn> conns = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int peer = i ^ 1;
                StormClient client = new StormClient(shared, i, run, conversations.get(i / 2), run + "-u" + peer, peer);
                // Both ends of a conversation on one loop; spread source addresses for large storms.
                client.conn = new Conn(clients, i / 2, i, run + "-u" + i, tokens.get(i), List.of(conversations.get(i / 2)), client);
                all.add(client);
                conns.add(client.conn);
            }
            double connectSeconds = Connector.connectAll(conns, 256, 600);

            // Before: every client sends its first messages; wait until all are acked and all arrived.
            onEach(clients, all, cl -> {
                cl.sendNew(c.messagesBefore());
                cl.conn.flush();
            });
            Deadline.await(System.nanoTime() + TimeUnit.SECONDS.toNanos(120), () -> allTrue(clients, all,
                    cl -> cl.allAcked() && cl.hasPeerMessages(c.messagesBefore())));

            // The storm: one more message each, in flight, then the server goes away under them.
            onEach(clients, all, cl -> {
                cl.sendNew(1);
                cl.conn.flush();
            });
            long cutAt = System.nanoTime();
            long serverBackAt;
            CpuWindow cpu;
            if (restart) {
                target.restart();
                serverBackAt = System.nanoTime();
                cpu = CpuWindow.start(target.pid()); // the new process, from ready to all caught up
            } else {
                cpu = CpuWindow.start(target.pid());
                onEach(clients, all, cl -> cl.conn.cut());
                serverBackAt = cutAt;
            }
            Deadline.await(cutAt + (long) (c.timeoutSeconds() * 1e9), () -> shared.caughtUp.get() >= n);
            // Late stragglers still count once everything settles.
            allTrue(clients, all, cl -> {
                cl.checkCaughtUp();
                return true;
            });
            cpu.stop();
            shared.stopping = true;

            Latency back = new Latency();
            Latency caught = new Latency();
            long[] lost = {0};
            int[] maxAttempts = {0};
            allTrue(clients, all, cl -> {
                if (cl.reconnectedAtNanos != 0) {
                    back.recordNanos(cl.reconnectedAtNanos - cutAt);
                }
                if (cl.caughtUp) {
                    caught.recordNanos(cl.caughtUpAtNanos - cutAt);
                }
                synchronized (lost) {
                    lost[0] += cl.missingPeerMessages(shared.expectedPerClient());
                    maxAttempts[0] = Math.max(maxAttempts[0], cl.attempts);
                }
                return true;
            });
            double allBack = back.count() == n ? back.maxMs() / 1000 : Double.NaN;
            double allCaughtUp = caught.count() == n ? caught.maxMs() / 1000 : Double.NaN;
            double restartSeconds = (serverBackAt - cutAt) / 1e9;
            long messages = (long) n * shared.expectedPerClient();

            Report r = new Report("storm");
            r.json.put("target", target.describe());
            r.json.put("config", c);
            r.json.put("mode", restart ? "server restart (SIGTERM, graceful, then start again)" : "all connections cut by the clients");
            r.json.put("connect_s", connectSeconds);
            r.json.put("server_down_s", restartSeconds);
            r.json.put("server_restart", target.lastRestart());
            r.json.put("all_back_s", allBack);
            r.json.put("all_caught_up_s", allCaughtUp);
            r.json.put("all_caught_up_after_server_back_s", allCaughtUp - restartSeconds);
            r.json.put("back_from_cut", back.summary());
            r.json.put("caught_up_from_cut", caught.summary());
            r.json.put("reconnected", shared.reconnected.get());
            r.json.put("caught_up", shared.caughtUp.get());
            r.json.put("connect_attempts", shared.attempts.get());
            r.json.put("max_attempts_of_one_client", maxAttempts[0]);
            r.json.put("resent_unacked", shared.resent.get());
            r.json.put("refused_while_shutting_down", shared.unavailable.get());
            r.json.put("messages", messages);
            r.json.put("lost", lost[0]);
            r.json.put("duplicated", shared.duplicated.get());
            r.json.put("redelivered_and_dropped_by_seq", shared.redelivered.get());
            r.json.put("out_of_order", shared.outOfOrder.get());
            r.json.put("unmatched_frames", shared.unmatched.get());
            r.json.put("errors", shared.errors.get());
            r.json.put("cpu", cpu.toJson(messages));
            r.clean = lost[0] == 0 && shared.duplicated.get() == 0 && shared.outOfOrder.get() == 0
                    && shared.caughtUp.get() == n && shared.errors.get() == 0 && shared.unmatched.get() == 0;
            r.line("storm: %d clients in %d 1:1 conversations, %s; backoff %.0f ms x2 up to %.0f ms, full jitter",
                    n, n / 2, restart ? "server restarted" : "all connections cut", c.backoffBaseMs(), c.backoffCapMs());
            r.line("  connected %d in %.1f s; %d messages before, 1 in flight at the cut, %d after, per client",
                    n, connectSeconds, c.messagesBefore(), c.messagesAfter());
            if (restart) {
                r.line("  server   down for %.2f s (%s)", restartSeconds, target.lastRestart());
            }
            r.line("  back     %d of %d, all by %.2f s after the cut   (%s)", back.count(), n, allBack, back.line());
            r.line("  caught up %d of %d, all by %.2f s after the cut = %.2f s after the server was back",
                    caught.count(), n, allCaughtUp, allCaughtUp - restartSeconds);
            r.line("  attempts %d connects (max %d for one client), %d unacked sends resent, %d refused while shutting down",
                    shared.attempts.get(), maxAttempts[0], shared.resent.get(), shared.unavailable.get());
            r.line("  lost %d, duplicated %d, out-of-order %d, errors %d (sync/live overlaps dropped by seq: %d)",
                    lost[0], shared.duplicated.get(), shared.outOfOrder.get(), shared.errors.get(), shared.redelivered.get());
            r.human.append(cpu.lines(messages));
            return r;
        } finally {
            shared.stopping = true;
        }
    }

    private static void onEach(WsClients clients, List<StormClient> all, java.util.function.Consumer<StormClient> action)
            throws InterruptedException {
        allTrue(clients, all, cl -> {
            action.accept(cl);
            return true;
        });
    }

    /** Runs the test on every client, on each client's own loop; true when it held for all. */
    private static boolean allTrue(WsClients clients, List<StormClient> all, java.util.function.Predicate<StormClient> test)
            throws InterruptedException {
        boolean result = true;
        for (int l = 0; l < clients.loopCount(); l++) {
            int loop = l;
            try {
                result &= clients.loop(l).submit(() -> {
                    boolean ok = true;
                    for (StormClient cl : all) {
                        if (Math.floorMod(cl.index / 2, clients.loopCount()) == loop) {
                            ok &= test.test(cl);
                        }
                    }
                    return ok;
                }).get(60, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new IllegalStateException("a generator loop did not answer", e);
            }
        }
        return result;
    }
}
