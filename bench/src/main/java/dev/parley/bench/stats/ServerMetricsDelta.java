package dev.parley.bench.stats;

import dev.parley.bench.target.HttpSetup;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The server's own view of a window, from two scrapes of its /metrics: how long a send took inside the server
 * (frame read to ack written, parley_ack_latency), how many group commits ran and how long they took, and so how
 * many writes each commit carried. Tells latency spent inside the server from latency spent in the sockets.
 */
public final class ServerMetricsDelta {
    private final HttpSetup http;
    private final Map<String, Double> before;

    private ServerMetricsDelta(HttpSetup http) {
        this.http = http;
        this.before = scrape(http);
    }

    public static ServerMetricsDelta start(HttpSetup http) {
        return new ServerMetricsDelta(http);
    }

    static Map<String, Double> scrape(HttpSetup http) {
        Map<String, Double> m = new HashMap<>();
        try {
            for (String line : http.get("/metrics").split("\n")) {
                if (line.startsWith("parley_")) {
                    int space = line.lastIndexOf(' ');
                    m.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
                }
            }
        } catch (RuntimeException e) {
            // no metrics: the report says so by leaving the fields out
        }
        return m;
    }

    public Map<String, Object> stop() {
        Map<String, Double> after = scrape(http);
        Map<String, Object> out = new LinkedHashMap<>();
        if (after.isEmpty()) {
            return out;
        }
        double acks = delta(after, "parley_ack_latency_seconds_count");
        double ackSeconds = delta(after, "parley_ack_latency_seconds_sum");
        double commits = delta(after, "parley_store_commit_latency_seconds_count");
        double commitSeconds = delta(after, "parley_store_commit_latency_seconds_sum");
        double writes = delta(after, "parley_messages_total") + delta(after, "parley_receipts_total");
        out.put("acks", (long) acks);
        out.put("ack_latency_mean_ms", acks == 0 ? null : Latency.round(ackSeconds * 1000 / acks));
        out.put("ack_latency_p50_ms", percentileMs(after, "parley_ack_latency_seconds_bucket", 0.50));
        out.put("ack_latency_p99_ms", percentileMs(after, "parley_ack_latency_seconds_bucket", 0.99));
        out.put("commits", (long) commits);
        out.put("commit_mean_ms", commits == 0 ? null : Latency.round(commitSeconds * 1000 / commits));
        out.put("writer_busy_committing", Latency.round(commitSeconds));
        out.put("messages_and_receipts_per_commit", commits == 0 ? null : Latency.round(writes / commits));
        return out;
    }

    private double delta(Map<String, Double> after, String key) {
        return after.getOrDefault(key, 0.0) - before.getOrDefault(key, 0.0);
    }

    /** The upper bound (ms) of the first histogram bucket holding the percentile of the window's observations. */
    private Double percentileMs(Map<String, Double> after, String bucket, double q) {
        List<double[]> buckets = new ArrayList<>();
        for (Map.Entry<String, Double> e : after.entrySet()) {
            String key = e.getKey();
            if (key.startsWith(bucket + "{")) {
                String le = key.substring(key.indexOf("le=\"") + 4, key.indexOf('"', key.indexOf("le=\"") + 4));
                double bound = "+Inf".equals(le) ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
                buckets.add(new double[] {bound, e.getValue() - before.getOrDefault(key, 0.0)});
            }
        }
        if (buckets.isEmpty()) {
            return null;
        }
        buckets.sort((a, b) -> Double.compare(a[0], b[0]));
        double total = buckets.get(buckets.size() - 1)[1];
        for (double[] b : buckets) {
            if (b[1] >= q * total) {
                return Double.isInfinite(b[0]) ? null : Latency.round(b[0] * 1000);
            }
        }
        return null;
    }

    /** One line for the human summary. */
    public static String line(Map<String, Object> m) {
        if (m.isEmpty()) {
            return "";
        }
        return String.format("  server   ack inside the server: mean %s ms, p50 <= %s ms, p99 <= %s ms; %s group commits, mean %s ms, %s writes each%n",
                m.get("ack_latency_mean_ms"), m.get("ack_latency_p50_ms"), m.get("ack_latency_p99_ms"), m.get("commits"),
                m.get("commit_mean_ms"), m.get("messages_and_receipts_per_commit"));
    }
}
