package dev.parley.bench.scenario;

import dev.parley.bench.client.Conn;
import dev.parley.bench.client.WsClients;
import dev.parley.bench.stats.CpuWindow;
import dev.parley.bench.stats.ServerMetricsDelta;
import dev.parley.bench.target.HttpSetup;
import dev.parley.bench.target.Target;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code pairs}: N 1:1 conversations, each with one sending and one receiving connection; the senders send at a
 * fixed total rate, open-loop. Measures send->ack, send->message:new at the recipient and send->message:delivered
 * back at the sender, and counts lost, duplicated and out-of-order messages. {@link #findMax} steps the rate up.
 */
public final class PairsScenario {
    public record Config(int pairs, double rate, double durationSeconds, double warmupSeconds, int bodyBytes,
                         boolean receipts, double drainSeconds, int threads) {
        public Config {
            if (pairs < 1 || rate <= 0 || durationSeconds <= 0 || warmupSeconds < 0 || warmupSeconds >= durationSeconds) {
                throw new IllegalArgumentException("need pairs >= 1, rate > 0 and 0 <= warmup < duration");
            }
        }
    }

    public record FindMax(double startRate, double factor, double maxRate, double p99BoundMs, double warmupSeconds) {
    }

    private PairsScenario() {
    }

    public static Report run(Target target, Config config) throws InterruptedException {
        try (Setup setup = Setup.open(target, config)) {
            Report report = new Report("pairs");
            report.json.put("target", target.describe());
            report.json.put("config", config);
            report.line("pairs: %d conversations (%d connections), %.0f msgs/s for %.0f s (first %.0f s warmup), body %d B, receipts %s",
                    config.pairs(), 2 * config.pairs(), config.rate(), config.durationSeconds(), config.warmupSeconds(),
                    config.bodyBytes(), config.receipts() ? "on" : "off");
            report.line("  connected %d in %.1f s", 2 * config.pairs(), setup.connectSeconds);
            Map<String, Object> step = phase(setup, target, config, config.rate(), report);
            report.json.putAll(step);
            report.clean = (boolean) step.get("clean");
            return report;
        }
    }

    public static Report findMax(Target target, Config config, FindMax search) throws InterruptedException {
        try (Setup setup = Setup.open(target, config)) {
            Report report = new Report("pairs --find-max");
            report.json.put("target", target.describe());
            report.json.put("config", config);
            report.json.put("search", search);
            report.line("pairs --find-max: %d conversations, steps of %.0f s from %.0f msgs/s x%.2f until p99 send->ack > %.0f ms or errors",
                    config.pairs(), config.durationSeconds(), search.startRate(), search.factor(), search.p99BoundMs());
            // A first, unreported phase at the start rate: JIT compilation and the first page-ins of both JVMs would
            // otherwise fail the first step.
            Report warm = new Report("warmup");
            Map<String, Object> warmup = phase(setup, target, new Config(config.pairs(), search.startRate(), search.warmupSeconds(),
                    0, config.bodyBytes(), config.receipts(), config.drainSeconds(), config.threads()), search.startRate(), warm);
            report.json.put("warmup", warmup);
            report.line("  warmup  %.0f s at %.0f msgs/s (not a step)", search.warmupSeconds(), search.startRate());
            List<Map<String, Object>> steps = new ArrayList<>();
            double best = 0;
            Map<String, Object> bestStep = null;
            for (double rate = search.startRate(); rate <= search.maxRate(); rate *= search.factor()) {
                Report stepReport = new Report("step");
                Map<String, Object> step = phase(setup, target, config, rate, stepReport);
                double p99 = (double) ((Map<?, ?>) step.get("send_to_ack")).get("p99_ms");
                boolean held = (boolean) step.get("clean") && (boolean) step.get("rate_kept") && p99 <= search.p99BoundMs();
                step.put("held", held);
                steps.add(step);
                report.line("  %7.0f msgs/s: %s  p99 ack %.1f ms, p99 new %.1f ms, server %s µs/msg", rate,
                        held ? "held  " : "FAILED", p99, (double) ((Map<?, ?>) step.get("send_to_recipient")).get("p99_ms"),
                        ((Map<?, ?>) step.get("cpu")).get("server_cpu_us_per_message"));
                if (!held) {
                    report.human.append(stepReport.human.toString().indent(4));
                    break;
                }
                best = rate;
                bestStep = step;
            }
            report.json.put("steps", steps);
            report.json.put("max_rate_held", best);
            report.json.put("max_step", bestStep);
            report.line("  highest rate that held: %.0f msgs/s", best);
            return report;
        }
    }

    /** One phase at a rate; adds its summary to the report and returns its JSON. */
    private static Map<String, Object> phase(Setup setup, Target target, Config config, double rate, Report report)
            throws InterruptedException {
        long durationNanos = (long) (config.durationSeconds() * 1e9);
        long warmupNanos = (long) (config.warmupSeconds() * 1e9);
        int phase = setup.load.start(rate, durationNanos, warmupNanos);
        // CPU is counted from the end of the warmup (JIT compilation and connection setup excluded) to the last
        // ack, message and receipt, and divided by the messages of that window.
        TimeUnit.NANOSECONDS.sleep(warmupNanos + TimeUnit.MILLISECONDS.toNanos(20));
        CpuWindow cpu = CpuWindow.start(target.pid());
        ServerMetricsDelta server = ServerMetricsDelta.start(setup.http);
        TimeUnit.NANOSECONDS.sleep(durationNanos - warmupNanos);
        boolean settled = setup.load.awaitSettled((long) (config.drainSeconds() * 1e9));
        cpu.stop();
        Map<String, Object> serverView = server.stop();
        LoopStats st = setup.load.merged(phase);
        long durable = st.ack.count();
        long[] losses = setup.load.losses(phase);
        double measuredSeconds = config.durationSeconds() - config.warmupSeconds();
        double sentRate = st.sentMeasured / measuredSeconds;
        long lost = losses[0] + losses[1] + losses[2];
        boolean clean = settled && lost == 0 && st.duplicated == 0 && st.outOfOrder == 0 && st.errorCount() == 0
                && st.duplicateAcks == 0 && st.duplicateReceipts == 0 && st.unmatched == 0;

        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rate_target", rate);
        m.put("rate_sent", Math.round(sentRate * 10) / 10.0);
        m.put("rate_kept", sentRate >= 0.97 * rate);
        m.put("throughput_acked_per_s", Math.round(st.acked / config.durationSeconds() * 10) / 10.0);
        m.put("sent", st.sent);
        m.put("acked", st.acked);
        m.put("received", st.receivedCount);
        m.put("receipts", st.receipts);
        m.put("send_to_ack", st.ack.summary());
        m.put("send_to_recipient", st.received.summary());
        m.put("send_to_delivered_receipt", st.receipt.summary());
        m.put("lost", lost);
        m.put("unacked", losses[0]);
        m.put("not_received", losses[1]);
        m.put("no_receipt", losses[2]);
        m.put("duplicated", st.duplicated);
        m.put("out_of_order", st.outOfOrder);
        m.put("duplicate_acks", st.duplicateAcks);
        m.put("duplicate_receipts", st.duplicateReceipts);
        m.put("unmatched_frames", st.unmatched);
        m.put("errors", st.errors);
        m.put("settled", settled);
        m.put("clean", clean);
        m.put("cpu", cpu.toJson(durable));
        m.put("server_metrics", serverView);

        report.line("  send->ack          %s", st.ack.line());
        report.line("  send->message:new  %s", st.received.line());
        if (config.receipts()) {
            report.line("  send->delivered    %s", st.receipt.line());
        }
        report.line("  rate     %.1f msgs/s sent (target %.0f), %d acked, %d received, %d receipts",
                sentRate, rate, st.acked, st.receivedCount, st.receipts);
        report.line("  lost %d (unacked %d, not received %d, no receipt %d), duplicated %d, out-of-order %d, errors %s%s",
                lost, losses[0], losses[1], losses[2], st.duplicated, st.outOfOrder, st.errors,
                settled ? "" : "  (NOT SETTLED within the drain time)");
        report.human.append(ServerMetricsDelta.line(serverView));
        report.human.append(cpu.lines(durable));
        return m;
    }

    /** The conversations and the 2N connected, subscribed clients. */
    static final class Setup implements AutoCloseable {
        final WsClients clients;
        final PairsLoad load;
        final double connectSeconds;
        final HttpSetup http;

        private Setup(WsClients clients, PairsLoad load, double connectSeconds, HttpSetup http) {
            this.http = http;
            this.clients = clients;
            this.load = load;
            this.connectSeconds = connectSeconds;
        }

        static Setup open(Target target, Config config) throws InterruptedException {
            String run = RunIds.next();
            HttpSetup http = new HttpSetup(target.httpUri(), 32);
            int n = config.pairs();
            List<String> senderTokens = new ArrayList<>(n);
            List<CompletableFuture<String>> created = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                String token = target.token(run + "-s" + i);
                senderTokens.add(token);
                created.add(http.createConversation(token, List.of(run + "-r" + i), true));
            }
            List<String> conversations = HttpSetup.all(created);
            WsClients clients = new WsClients(target.wsUri(), config.threads());
            try {
                PairsLoad load = new PairsLoad(clients, config.bodyBytes());
                List<Conn> conns = new ArrayList<>(2 * n);
                for (int i = 0; i < n; i++) {
                    String conversation = conversations.get(i);
                    Pair pair = new Pair(i, conversation, run + "-" + i + "-", run + "-s" + i, load, config.receipts());
                    pair.sender = new Conn(clients, i, 2 * i, run + "-s" + i, senderTokens.get(i), List.of(conversation),
                            pair.senderListener());
                    pair.recipient = new Conn(clients, i, 2 * i + 1, run + "-r" + i, target.token(run + "-r" + i),
                            List.of(conversation), pair.recipientListener());
                    conns.add(pair.sender);
                    conns.add(pair.recipient);
                    load.add(pair);
                }
                double seconds = Connector.connectAll(conns, 256, 300);
                return new Setup(clients, load, seconds, http);
            } catch (RuntimeException | InterruptedException e) {
                clients.close();
                throw e;
            }
        }

        @Override
        public void close() {
            clients.close();
        }
    }
}
