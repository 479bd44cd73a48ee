package dev.parley.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** The server's meters, exported in Prometheus text format at /metrics. */
public final class ServerMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Counter messages;
    private final Counter receipts;
    private final Counter slowConsumers;
    private final Counter badFrames;
    private final Timer ackLatency;
    private final Timer commitLatency;

    public ServerMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        messages = Counter.builder("parley.messages").description("Messages committed").register(registry);
        receipts = Counter.builder("parley.receipts").description("Receipts committed").register(registry);
        slowConsumers = Counter.builder("parley.slow.consumers.dropped")
                .description("Connections closed with 4009 because their outbound queue passed its bound").register(registry);
        badFrames = Counter.builder("parley.bad.frames").description("Frames answered with bad_request").register(registry);
        ackLatency = Timer.builder("parley.ack.latency").description("From a send frame's arrival to its commit (the ack is written next)")
                .publishPercentileHistogram().maximumExpectedValue(Duration.ofSeconds(10)).register(registry);
        commitLatency = Timer.builder("parley.store.commit.latency").description("One group commit of the store")
                .publishPercentileHistogram().maximumExpectedValue(Duration.ofSeconds(10)).register(registry);
    }

    public void connectionsGauge(Supplier<Number> connections) {
        Gauge.builder("parley.connections", connections).description("Open WebSocket connections").register(registry);
    }

    public void writeQueueGauge(Supplier<Number> queued) {
        Gauge.builder("parley.store.write.queue", queued).description("Writes waiting for the writer").register(registry);
    }

    public void messageCommitted() {
        messages.increment();
    }

    public void receiptCommitted() {
        receipts.increment();
    }

    public void slowConsumerDropped() {
        slowConsumers.increment();
    }

    public void badFrame() {
        badFrames.increment();
    }

    public void ackLatencyNanos(long nanos) {
        ackLatency.record(nanos, TimeUnit.NANOSECONDS);
    }

    public void commitNanos(long nanos) {
        commitLatency.record(nanos, TimeUnit.NANOSECONDS);
    }

    public String scrape() {
        return registry.scrape();
    }
}
