package dev.parley.bench.scenario;

import dev.parley.bench.client.Conn;
import dev.parley.bench.client.ServerFrameView;
import dev.parley.bench.client.WsClients;
import dev.parley.bench.stats.CpuWindow;
import dev.parley.bench.stats.Latency;
import dev.parley.bench.stats.ProcStats;
import dev.parley.bench.target.HttpSetup;
import dev.parley.bench.target.Target;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code connections}: C authenticated, subscribed, idle connections from several 127.0.0.x source addresses.
 * Reports the connect rate, the server's heap (after a full GC, from /metrics) and RSS (from /proc) per
 * connection, and checks at the end that every connection still answers an application ping.
 */
public final class ConnectionsScenario {
    public record Config(int connections, int membersPerConversation, int inFlight, double holdSeconds,
                         double pingTimeoutSeconds, int threads) {
        public Config {
            if (connections < 1 || membersPerConversation < 1 || inFlight < 1) {
                throw new IllegalArgumentException("connections, members per conversation and in-flight must be positive");
            }
        }
    }

    private ConnectionsScenario() {
    }

    public static Report run(Target target, Config c) throws InterruptedException {
        String run = RunIds.next();
        HttpSetup http = new HttpSetup(target.httpUri(), 32);
        int n = c.connections();
        int g = c.membersPerConversation();
        List<String> tokens = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            tokens.add(target.token(run + "-u" + i));
        }
        long setupStart = System.nanoTime();
        List<CompletableFuture<String>> created = new ArrayList<>();
        for (int first = 0; first < n; first += g) {
            List<String> others = new ArrayList<>();
            for (int i = first + 1; i < Math.min(first + g, n); i++) {
                others.add(run + "-u" + i);
            }
            created.add(http.createConversation(tokens.get(first), others, others.size() == 1));
        }
        List<String> conversations = HttpSetup.all(created);
        double setupSeconds = (System.nanoTime() - setupStart) / 1e9;

        Map<String, Long> before = memory(target, http);
        AtomicInteger pongs = new AtomicInteger();
        AtomicInteger dropped = new AtomicInteger();
        try (WsClients clients = new WsClients(target.wsUri(), c.threads())) {
            Conn.Listener listener = new Conn.Listener() {
                @Override
                public void onFrame(Conn conn, ServerFrameView f) {
                    if ("pong".equals(f.type)) {
                        pongs.incrementAndGet();
                    }
                }

                @Override
                public void onClosed(Conn conn, int closeCode, Throwable cause) {
                    dropped.incrementAndGet();
                }
            };
            List<Conn> conns = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                conns.add(new Conn(clients, i, i, run + "-u" + i, tokens.get(i), List.of(conversations.get(i / g)), listener));
            }
            tokens.clear();
            CpuWindow cpu = CpuWindow.start(target.pid());
            double connectSeconds = Connector.connectAll(conns, c.inFlight(), 1800);
            cpu.stop();
            Latency tcp = new Latency();
            Latency upgrade = new Latency();
            Latency subscribe = new Latency();
            for (Conn conn : conns) {
                tcp.recordNanos(conn.tcpConnectedNanos - conn.connectStartedNanos);
                upgrade.recordNanos(conn.upgradedNanos - conn.tcpConnectedNanos);
                subscribe.recordNanos(conn.subscribedNanos - conn.upgradedNanos);
            }
            TimeUnit.MILLISECONDS.sleep((long) (c.holdSeconds() * 1000));
            Map<String, Long> after = memory(target, http);

            long pingStart = System.nanoTime();
            for (int l = 0; l < clients.loopCount(); l++) {
                int loop = l;
                clients.loop(l).execute(() -> {
                    for (int i = loop; i < conns.size(); i += clients.loopCount()) {
                        Conn conn = conns.get(i);
                        conn.write(Conn.frames().ping("p"));
                        conn.flush();
                    }
                });
            }
            Deadline.await(System.nanoTime() + (long) (c.pingTimeoutSeconds() * 1e9), () -> pongs.get() >= n);
            double pingSeconds = (System.nanoTime() - pingStart) / 1e9;

            Report r = new Report("connections");
            r.json.put("target", target.describe());
            r.json.put("config", c);
            r.json.put("conversations", conversations.size());
            r.json.put("setup_s", round(setupSeconds));
            r.json.put("connect_s", round(connectSeconds));
            r.json.put("connects_per_s", Math.round(n / connectSeconds));
            r.json.put("connect_cpu", cpu.toJson(n));
            r.json.put("tcp_connect", tcp.summary());
            r.json.put("websocket_upgrade", upgrade.summary());
            r.json.put("auth_and_subscribe", subscribe.summary());
            r.json.put("memory_before", before);
            r.json.put("memory_after", after);
            r.json.put("source_addresses", (n - 1) / WsClients.PER_SOURCE_ADDRESS + 1);
            long heapDelta = after.getOrDefault("heap_used_bytes", -1L) - before.getOrDefault("heap_used_bytes", -1L);
            long rssDelta = after.getOrDefault("rss_bytes", -1L) - before.getOrDefault("rss_bytes", -1L);
            r.json.put("heap_bytes_per_connection", heapDelta / n);
            r.json.put("rss_bytes_per_connection", rssDelta / n);
            r.json.put("pongs", pongs.get());
            r.json.put("dropped", dropped.get());
            r.json.put("ping_round_s", round(pingSeconds));
            r.json.put("generator_rss_bytes", ProcStats.rssBytes(ProcStats.selfPid()));
            r.clean = pongs.get() == n && dropped.get() == 0;
            r.line("connections: %d idle, authenticated, subscribed connections (%d per conversation) from %d source addresses",
                    n, g, (n - 1) / WsClients.PER_SOURCE_ADDRESS + 1);
            r.line("  setup    %d conversations in %.1f s", conversations.size(), setupSeconds);
            r.line("  connect  %d in %.1f s = %.0f connections/s (auth + subscribe each)", n, connectSeconds, n / connectSeconds);
            r.line("           server CPU %.0f µs per connection (%.2f cores), generator %.0f µs (%.2f cores), other processes %.2f cores",
                    cpu.serverSeconds() * 1e6 / n, cpu.serverSeconds() / cpu.wallSeconds(), cpu.generatorSeconds() * 1e6 / n,
                    cpu.generatorSeconds() / cpu.wallSeconds(), cpu.otherSeconds() / cpu.wallSeconds());
            r.line("           tcp connect       %s", tcp.line());
            r.line("           upgrade           %s", upgrade.line());
            r.line("           auth+subscribe    %s", subscribe.line());
            r.line("  server   heap %+.1f MB = %.0f B/connection (after full GC: %s); RSS %+.1f MB = %.0f B/connection",
                    heapDelta / 1e6, (double) heapDelta / n, after.containsKey("gc") ? "yes" : "no", rssDelta / 1e6, (double) rssDelta / n);
            r.line("           (before: heap %.1f MB, RSS %.1f MB; after: heap %.1f MB, RSS %.1f MB)",
                    before.getOrDefault("heap_used_bytes", -1L) / 1e6, before.getOrDefault("rss_bytes", -1L) / 1e6,
                    after.getOrDefault("heap_used_bytes", -1L) / 1e6, after.getOrDefault("rss_bytes", -1L) / 1e6);
            r.line("  ping     %d of %d answered in %.1f s; %d connections dropped", pongs.get(), n, pingSeconds, dropped.get());
            return r;
        }
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    /** Server heap used (sum of jvm_memory_used_bytes{area="heap"}, after a full GC when possible) and RSS. */
    static Map<String, Long> memory(Target target, HttpSetup http) {
        Map<String, Long> m = new LinkedHashMap<>();
        if (target.gc()) {
            m.put("gc", 1L);
        }
        long heap = 0;
        long nonHeap = 0;
        for (String line : http.get("/metrics").split("\n")) {
            if (line.startsWith("jvm_memory_used_bytes{")) {
                long v = (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                if (line.contains("area=\"heap\"")) {
                    heap += v;
                } else {
                    nonHeap += v;
                }
            }
        }
        m.put("heap_used_bytes", heap);
        m.put("nonheap_used_bytes", nonHeap);
        m.put("rss_bytes", ProcStats.rssBytes(target.pid()));
        return m;
    }
}
