package dev.parley.bench.stats;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/** A latency histogram in microseconds (1 µs to 10 min, 3 significant digits). Not thread-safe: one per loop, merged at the end. */
public final class Latency {
    private final Histogram histogram = new Histogram(TimeUnit.MINUTES.toMicros(10), 3);

    public void recordNanos(long nanos) {
        histogram.recordValue(Math.min(Math.max(nanos / 1000, 0), histogram.getHighestTrackableValue()));
    }

    public void add(Latency other) {
        histogram.add(other.histogram);
    }

    public void reset() {
        histogram.reset();
    }

    public long count() {
        return histogram.getTotalCount();
    }

    public Latency copy() {
        Latency c = new Latency();
        c.add(this);
        return c;
    }

    /** Milliseconds at a percentile. */
    public double ms(double percentile) {
        return histogram.getTotalCount() == 0 ? 0 : histogram.getValueAtPercentile(percentile) / 1000.0;
    }

    public double maxMs() {
        return histogram.getTotalCount() == 0 ? 0 : histogram.getMaxValue() / 1000.0;
    }

    /** p50, p90, p99, p99.9 and max in milliseconds, for the JSON result. */
    public Map<String, Object> summary() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", count());
        m.put("p50_ms", round(ms(50)));
        m.put("p90_ms", round(ms(90)));
        m.put("p99_ms", round(ms(99)));
        m.put("p99_9_ms", round(ms(99.9)));
        m.put("max_ms", round(maxMs()));
        return m;
    }

    /** One line for the human summary. */
    public String line() {
        return String.format("p50 %8.2f  p90 %8.2f  p99 %8.2f  p99.9 %8.2f  max %8.2f ms  (n=%d)",
                ms(50), ms(90), ms(99), ms(99.9), maxMs(), count());
    }

    static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
