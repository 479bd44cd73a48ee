package dev.parley.server.session;

/** A token bucket for one connection's sends. Used on that connection's event loop only. */
final class SendRateLimiter {
    private final double ratePerMs;
    private final double burst;
    private double tokens;
    private long lastNanos;

    SendRateLimiter(double ratePerSecond, int burst) {
        this.ratePerMs = ratePerSecond / 1000.0;
        this.burst = burst;
        this.tokens = burst;
        this.lastNanos = System.nanoTime();
    }

    /** Takes a token and returns 0, or returns how many ms until one will be there. */
    long tryAcquire() {
        long now = System.nanoTime();
        tokens = Math.min(burst, tokens + (now - lastNanos) / 1_000_000.0 * ratePerMs);
        lastNanos = now;
        if (tokens >= 1) {
            tokens -= 1;
            return 0;
        }
        return Math.max(1, (long) Math.ceil((1 - tokens) / ratePerMs));
    }
}
