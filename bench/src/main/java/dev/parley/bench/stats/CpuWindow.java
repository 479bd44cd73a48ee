package dev.parley.bench.stats;

import java.util.LinkedHashMap;
import java.util.Map;

/** CPU used by the server, by the generator and by everything else on the machine between two points in time. */
public final class CpuWindow {
    private final long serverPid;
    private final long wallStart;
    private final double server0;
    private final double self0;
    private final double machine0;
    private final String loadBefore;
    private final Map<String, Double> threads0;
    private final Map<String, Double> threads = new java.util.TreeMap<>();
    private double server;
    private double self;
    private double machine;
    private double wallSeconds;

    private CpuWindow(long serverPid) {
        this.serverPid = serverPid;
        this.wallStart = System.nanoTime();
        this.server0 = ProcStats.cpuSeconds(serverPid);
        this.self0 = ProcStats.cpuSeconds(ProcStats.selfPid());
        this.machine0 = ProcStats.machineBusySeconds();
        this.loadBefore = ProcStats.loadAverage();
        this.threads0 = ProcStats.threadCpuSeconds(serverPid);
    }

    public static CpuWindow start(long serverPid) {
        return new CpuWindow(serverPid);
    }

    public CpuWindow stop() {
        wallSeconds = (System.nanoTime() - wallStart) / 1e9;
        server = ProcStats.cpuSeconds(serverPid) - server0;
        self = ProcStats.cpuSeconds(ProcStats.selfPid()) - self0;
        machine = ProcStats.machineBusySeconds() - machine0;
        ProcStats.threadCpuSeconds(serverPid).forEach((name, cpu) -> {
            double used = cpu - threads0.getOrDefault(name, 0.0);
            if (used >= 0.01) {
                threads.put(name, Latency.round(used));
            }
        });
        return this;
    }

    public double serverSeconds() {
        return server;
    }

    public double generatorSeconds() {
        return self;
    }

    public boolean sameProcess() {
        return serverPid == ProcStats.selfPid();
    }

    /** CPU of other processes: above a few percent of one core the run was disturbed. */
    public double otherSeconds() {
        return sameProcess() ? machine - self : machine - server - self;
    }

    public double wallSeconds() {
        return wallSeconds;
    }

    public Map<String, Object> toJson(long durableMessages) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("wall_s", Latency.round(wallSeconds));
        m.put("server_cpu_s", Latency.round(server));
        m.put("generator_cpu_s", Latency.round(self));
        m.put("other_cpu_s", Latency.round(otherSeconds()));
        m.put("server_cores_used", Latency.round(server / wallSeconds));
        m.put("generator_cores_used", Latency.round(self / wallSeconds));
        m.put("other_cores_used", Latency.round(otherSeconds() / wallSeconds));
        m.put("durable_messages", durableMessages);
        m.put("server_cpu_us_per_message", durableMessages == 0 ? null : Latency.round(server * 1e6 / durableMessages));
        m.put("generator_cpu_us_per_message", durableMessages == 0 ? null : Latency.round(self * 1e6 / durableMessages));
        m.put("server_and_generator_in_one_process", sameProcess());
        m.put("server_cpu_s_by_thread", byThreadDescending());
        m.put("loadavg_before", loadBefore);
        m.put("loadavg_after", ProcStats.loadAverage());
        return m;
    }

    /** Server CPU seconds per thread group, largest first. */
    public Map<String, Double> byThreadDescending() {
        Map<String, Double> sorted = new LinkedHashMap<>();
        threads.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }

    public String lines(long durableMessages) {
        String perMessage = durableMessages == 0 ? "-" : String.format("%.1f", server * 1e6 / durableMessages);
        String genPerMessage = durableMessages == 0 ? "-" : String.format("%.1f", self * 1e6 / durableMessages);
        return String.format("  cpu      server %.2f s (%.2f cores), %s µs/durable message%s%n"
                        + "           generator %.2f s (%.2f cores), %s µs/message; other processes %.2f s (%.2f cores)%n",
                server, server / wallSeconds, perMessage, sameProcess() ? " (server and generator share one JVM)" : "",
                self, self / wallSeconds, genPerMessage, otherSeconds(), otherSeconds() / wallSeconds)
                + (threads.isEmpty() || sameProcess() ? "" : threadLine());
    }

    private String threadLine() {
        StringBuilder sb = new StringBuilder("           server threads:");
        int shown = 0;
        for (Map.Entry<String, Double> e : byThreadDescending().entrySet()) {
            if (shown++ == 6) {
                break;
            }
            sb.append(String.format(" %s %.2f cores,", e.getKey(), e.getValue() / wallSeconds));
        }
        sb.setLength(sb.length() - 1);
        return sb.append('\n').toString();
    }
}
