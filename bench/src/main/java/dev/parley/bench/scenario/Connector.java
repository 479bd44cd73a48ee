package dev.parley.bench.scenario;

import dev.parley.bench.client.Conn;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** Opens many connections with a bound on how many handshakes are in flight, and waits until all are subscribed. */
final class Connector {
    private Connector() {
    }

    /** Returns the seconds it took; throws if any connection failed or the timeout passed. */
    static double connectAll(List<Conn> conns, int inFlight, long timeoutSeconds) throws InterruptedException {
        long started = System.nanoTime();
        Semaphore slots = new Semaphore(inFlight);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicInteger done = new AtomicInteger();
        List<CompletableFuture<Conn>> futures = new ArrayList<>(conns.size());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        for (Conn c : conns) {
            if (!slots.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                throw new IllegalStateException("connecting timed out after " + done.get() + " of " + conns.size());
            }
            if (failure.get() != null) {
                break;
            }
            futures.add(c.connect().whenComplete((ok, e) -> {
                slots.release();
                done.incrementAndGet();
                if (e != null) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        try {
            CompletableFuture.allOf(futures.toArray(new CompletableFuture[0]))
                    .get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            Throwable cause = failure.get() != null ? failure.get() : e;
            throw new IllegalStateException("connecting failed after " + done.get() + " of " + conns.size()
                    + " connections: " + cause, cause);
        }
        if (failure.get() != null) {
            throw new IllegalStateException("a connection failed: " + failure.get(), failure.get());
        }
        return (System.nanoTime() - started) / 1e9;
    }
}
