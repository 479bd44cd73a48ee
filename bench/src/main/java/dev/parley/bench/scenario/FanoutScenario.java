package dev.parley.bench.scenario;

import dev.parley.bench.client.Conn;
import dev.parley.bench.client.ServerFrameView;
import dev.parley.bench.client.WsClients;
import dev.parley.bench.stats.CpuWindow;
import dev.parley.bench.target.HttpSetup;
import dev.parley.bench.target.Target;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code fanout}: one conversation of M members, all connected; S of them send at a fixed total rate, open-loop.
 * Reports deliveries per second, send->ack, send->each recipient and send->last recipient (the moment the
 * message had reached all M-1 other connections), with lost, duplicated and out-of-order counts.
 */
public final class FanoutScenario {
    public record Config(int members, int senders, double rate, double durationSeconds, double warmupSeconds,
                         int bodyBytes, double drainSeconds, int threads) {
        public Config {
            if (members < 2 || senders < 1 || senders > members || rate <= 0 || durationSeconds <= warmupSeconds) {
                throw new IllegalArgumentException("need 2 <= members, 1 <= senders <= members, rate > 0, warmup < duration");
            }
        }
    }

    private FanoutScenario() {
    }

    /** Per sender: when its message k is due (a formula, so every loop can read it without sharing arrays). */
    private record Schedule(long t0, double nanosPerMessage, int position, int sendersOnLoop) {
        long intended(int k) {
            return t0 + (long) (((long) k * sendersOnLoop + position) * nanosPerMessage);
        }
    }

    /** One member's connection and what it saw. Owned by its loop. */
    private static final class Member {
        final int index;
        Conn conn;
        Schedule schedule; // senders only
        AtomicIntegerArray arrivals; // senders only: how many recipients got message k
        int sent;
        final BitSet seen = new BitSet();
        long lastSeq;
        long received;

        Member(int index) {
            this.index = index;
        }
    }

    public static Report run(Target target, Config c) throws InterruptedException {
        String run = RunIds.next();
        HttpSetup http = new HttpSetup(target.httpUri(), 8);
        List<String> users = new ArrayList<>();
        for (int i = 0; i < c.members(); i++) {
            users.add(run + "-m" + i);
        }
        String creatorToken = target.token(users.get(0));
        List<String> others = users.subList(1, users.size());
        String conversation = http.createConversation(creatorToken, others.subList(0, Math.min(999, others.size())), false).join();
        for (int from = 999; from < others.size(); from += 1000) {
            http.addMembers(creatorToken, conversation, others.subList(from, Math.min(from + 1000, others.size()))).join();
        }

        int loops = c.threads();
        LoopStats[] stats = new LoopStats[loops];
        for (int i = 0; i < loops; i++) {
            stats[i] = new LoopStats();
        }
        int recipients = c.members() - 1;
        long perSender = (long) Math.ceil(c.rate() / c.senders() * c.durationSeconds()) + 2;
        AtomicLong deliveries = new AtomicLong();
        AtomicLong acked = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long[] t0Holder = {0};
        Member[] members = new Member[c.members()];
        try (WsClients clients = new WsClients(target.wsUri(), loops)) {
            List<Conn> conns = new ArrayList<>();
            for (int i = 0; i < c.members(); i++) {
                Member m = new Member(i);
                members[i] = m;
                LoopStats st = stats[i % loops];
                if (i < c.senders()) {
                    m.arrivals = new AtomicIntegerArray((int) perSender);
                }
                m.conn = new Conn(clients, i, i, users.get(i), i == 0 ? creatorToken : target.token(users.get(i)),
                        List.of(conversation), new Conn.Listener() {
                    @Override
                    public void onFrame(Conn conn, ServerFrameView f) {
                        switch (f.type) {
                            case "message:ack" -> {
                                st.acked++;
                                acked.incrementAndGet();
                                int k = Integer.parseInt(f.ref);
                                if (m.schedule.intended(k) >= t0Holder[0]) {
                                    st.ack.recordNanos(System.nanoTime() - m.schedule.intended(k));
                                }
                            }
                            case "message:new" -> onMessage(m, f, members, run, st, recipients, deliveries, t0Holder[0]);
                            case "error" -> {
                                st.error(f.code);
                                failed.incrementAndGet();
                            }
                            default -> { }
                        }
                    }
                });
                conns.add(m.conn);
            }
            double connectSeconds = Connector.connectAll(conns, 256, 300);

            // Schedules: loop L's senders share its share of the rate.
            long t0 = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
            long measureFrom = t0 + (long) (c.warmupSeconds() * 1e9);
            t0Holder[0] = measureFrom;
            List<List<Member>> sendersByLoop = new ArrayList<>();
            for (int l = 0; l < loops; l++) {
                sendersByLoop.add(new ArrayList<>());
            }
            for (int i = 0; i < c.senders(); i++) {
                sendersByLoop.get(i % loops).add(members[i]);
            }
            CpuWindow cpu = CpuWindow.start(target.pid());
            long totalSent = 0;
            for (int l = 0; l < loops; l++) {
                List<Member> own = sendersByLoop.get(l);
                if (own.isEmpty()) {
                    continue;
                }
                double loopRate = c.rate() * own.size() / c.senders();
                double nanosPer = 1e9 / loopRate;
                for (int p = 0; p < own.size(); p++) {
                    own.get(p).schedule = new Schedule(t0, nanosPer, p, own.size());
                }
                long total = Math.min((long) Math.floor(loopRate * c.durationSeconds()), perSender * own.size() - own.size());
                totalSent += total;
                new FanoutPacer(clients.loop(l), own, stats[l], t0, measureFrom, nanosPer, total, run, "x".repeat(c.bodyBytes())).schedule(t0);
            }
            TimeUnit.NANOSECONDS.sleep((long) (c.durationSeconds() * 1e9) + TimeUnit.MILLISECONDS.toNanos(50));
            long sentTotal = totalSent;
            Deadline.await(System.nanoTime() + (long) (c.drainSeconds() * 1e9),
                    () -> acked.get() + failed.get() >= sentTotal && deliveries.get() >= acked.get() * recipients);
            boolean settled = acked.get() + failed.get() >= sentTotal && deliveries.get() >= acked.get() * recipients;
            cpu.stop();

            LoopStats total = new LoopStats();
            long duplicated = 0;
            long outOfOrder = 0;
            for (int l = 0; l < loops; l++) {
                int loop = l;
                LoopStats copy = call(clients, l, () -> {
                    LoopStats s = new LoopStats();
                    s.add(stats[loop]);
                    return s;
                });
                total.add(copy);
            }
            long expected = acked.get() * recipients;
            long lost = Math.max(0, expected - deliveries.get());
            duplicated = total.duplicated;
            outOfOrder = total.outOfOrder;
            double measured = c.durationSeconds() - c.warmupSeconds();
            Report r = new Report("fanout");
            r.json.put("target", target.describe());
            r.json.put("config", c);
            r.json.put("connect_s", connectSeconds);
            r.json.put("sent", total.sent);
            r.json.put("acked", acked.get());
            r.json.put("deliveries", deliveries.get());
            r.json.put("deliveries_per_s", Math.round(deliveries.get() / c.durationSeconds()));
            r.json.put("rate_sent", Math.round(total.sentMeasured / measured * 10) / 10.0);
            r.json.put("send_to_ack", total.ack.summary());
            r.json.put("send_to_each_recipient", total.received.summary());
            r.json.put("send_to_last_recipient", total.receipt.summary());
            r.json.put("lost", lost);
            r.json.put("duplicated", duplicated);
            r.json.put("out_of_order", outOfOrder);
            r.json.put("errors", total.errors);
            r.json.put("settled", settled);
            r.json.put("cpu", cpu.toJson(acked.get()));
            r.json.put("server_cpu_us_per_delivery", deliveries.get() == 0 ? null
                    : Math.round(cpu.serverSeconds() * 1e7 / deliveries.get()) / 10.0);
            r.clean = settled && lost == 0 && duplicated == 0 && outOfOrder == 0 && total.errorCount() == 0;
            r.line("fanout: 1 conversation, %d members connected, %d senders, %.0f msgs/s for %.0f s (first %.0f s warmup)",
                    c.members(), c.senders(), c.rate(), c.durationSeconds(), c.warmupSeconds());
            r.line("  connected %d in %.1f s", c.members(), connectSeconds);
            r.line("  send->ack             %s", total.ack.line());
            r.line("  send->each recipient  %s", total.received.line());
            r.line("  send->last recipient  %s", total.receipt.line());
            r.line("  rate     %.1f msgs/s sent, %d acked, %d deliveries = %.0f deliveries/s",
                    total.sentMeasured / measured, acked.get(), deliveries.get(), deliveries.get() / c.durationSeconds());
            r.line("  lost %d, duplicated %d, out-of-order %d, errors %s%s", lost, duplicated, outOfOrder, total.errors,
                    settled ? "" : "  (NOT SETTLED within the drain time)");
            r.human.append(cpu.lines(acked.get()));
            r.line("           server %.1f µs per delivery", cpu.serverSeconds() * 1e6 / Math.max(1, deliveries.get()));
            return r;
        }
    }

    private static void onMessage(Member m, ServerFrameView f, Member[] members, String run, LoopStats st,
                                  int recipients, AtomicLong deliveries, long measureFrom) {
        if (m.seen.get((int) f.seq)) {
            st.duplicated++;
            return;
        }
        m.seen.set((int) f.seq);
        if (f.seq <= m.lastSeq) {
            st.outOfOrder++;
        }
        m.lastSeq = Math.max(m.lastSeq, f.seq);
        m.received++;
        deliveries.incrementAndGet();
        // client_id is run-<sender>-<k>
        String id = f.clientId;
        int dash = id.lastIndexOf('-');
        int sender = Integer.parseInt(id, run.length() + 1, dash, 10);
        int k = Integer.parseInt(id, dash + 1, id.length(), 10);
        Member from = members[sender];
        long intended = from.schedule.intended(k);
        long now = System.nanoTime();
        boolean measured = intended >= measureFrom;
        if (measured) {
            st.received.recordNanos(now - intended);
        }
        if (from.arrivals.incrementAndGet(k) == recipients && measured) {
            st.receipt.recordNanos(now - intended); // the last recipient
        }
    }

    private static <T> T call(WsClients clients, int loop, java.util.concurrent.Callable<T> task) throws InterruptedException {
        try {
            return clients.loop(loop).submit(task).get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("a generator loop did not answer", e);
        }
    }

    /** Sends the due messages of one loop's senders, flushing once per tick. */
    private static final class FanoutPacer implements Runnable {
        private final io.netty.channel.EventLoop loop;
        private final List<Member> senders;
        private final LoopStats stats;
        private final long t0;
        private final long measureFrom;
        private final double nanosPer;
        private final long total;
        private final String run;
        private final String body;
        private long j;

        FanoutPacer(io.netty.channel.EventLoop loop, List<Member> senders, LoopStats stats, long t0, long measureFrom,
                    double nanosPer, long total, String run, String body) {
            this.measureFrom = measureFrom;
            this.loop = loop;
            this.senders = senders;
            this.stats = stats;
            this.t0 = t0;
            this.nanosPer = nanosPer;
            this.total = total;
            this.run = run;
            this.body = body;
        }

        void schedule(long at) {
            loop.schedule(this, Math.max(0, at - System.nanoTime()), TimeUnit.NANOSECONDS);
        }

        @Override
        public void run() {
            long due = Math.min(total, (long) Math.floor((System.nanoTime() - t0) / nanosPer) + 1);
            int m = senders.size();
            for (; j < due; j++) {
                Member s = senders.get((int) (j % m));
                int k = s.sent++;
                s.conn.write(Conn.frames().send(Integer.toString(k), s.conn.conversationIds().get(0), run + "-" + s.index + "-", k, body));
                stats.sent++;
                if (s.schedule.intended(k) >= measureFrom) {
                    stats.sentMeasured++;
                }
            }
            for (Member s : senders) {
                s.conn.flush();
            }
            if (j < total) {
                schedule(Math.max(t0 + (long) (j * nanosPer), System.nanoTime() + 200_000));
            }
        }
    }
}
