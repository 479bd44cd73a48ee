package dev.parley.server.session;

import java.util.ArrayDeque;

/** Counts a connection's bad frames over a sliding minute. Used on that connection's event loop only. */
final class BadFrameCounter {
    private static final long WINDOW_NANOS = 60_000_000_000L;
    private final int limit;
    private final ArrayDeque<Long> times = new ArrayDeque<>();

    BadFrameCounter(int limit) {
        this.limit = limit;
    }

    /** Records one bad frame; true when the connection is now over the limit. */
    boolean recordAndCheck() {
        long now = System.nanoTime();
        while (!times.isEmpty() && now - times.peekFirst() > WINDOW_NANOS) {
            times.pollFirst();
        }
        times.addLast(now);
        return times.size() > limit;
    }
}
