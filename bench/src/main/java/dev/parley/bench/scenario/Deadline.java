package dev.parley.bench.scenario;

import java.util.concurrent.TimeUnit;

/**
 * How the load generator's main thread waits for a scenario's condition (all acked, all caught up...): it checks
 * every few milliseconds until the condition holds or the deadline passes. The conditions read state owned by the
 * event loops, so there is no single event to wait on; the poll interval only bounds how late the end is noticed.
 */
final class Deadline {
    private static final long POLL_MS = 20;

    private Deadline() {
    }

    /** A condition that may have to ask the event loops, and so may be interrupted. */
    @FunctionalInterface
    interface Condition {
        boolean holds() throws InterruptedException;
    }

    /** True if the condition held before {@code deadlineNanos} (a {@link System#nanoTime()} value). */
    static boolean await(long deadlineNanos, Condition done) throws InterruptedException {
        while (!done.holds()) {
            if (System.nanoTime() >= deadlineNanos) {
                return false;
            }
            TimeUnit.MILLISECONDS.sleep(POLL_MS);
        }
        return true;
    }
}
