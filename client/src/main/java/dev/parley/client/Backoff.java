package dev.parley.client;

import java.time.Duration;
import java.util.Objects;
import java.util.Random;

/**
 * Reconnect delays: exponential backoff with full jitter. Attempt n waits a uniformly random time in
 * [0, min(cap, base x multiplier^(n-1))]. The attempt count starts again at 1 once a connection has stayed
 * CONNECTED for {@code resetAfter}. Immutable; make one with {@link #builder()}.
 */
public final class Backoff {
    private static final Backoff DEFAULTS = builder().build();

    private final Duration base;
    private final double multiplier;
    private final Duration cap;
    private final Duration resetAfter;

    private Backoff(Builder b) {
        if (b.base.isNegative() || b.base.isZero()) {
            throw new IllegalArgumentException("base must be positive");
        }
        if (b.multiplier < 1.0) {
            throw new IllegalArgumentException("multiplier must be at least 1");
        }
        if (b.cap.compareTo(b.base) < 0) {
            throw new IllegalArgumentException("cap must be at least base");
        }
        if (b.resetAfter.isNegative()) {
            throw new IllegalArgumentException("resetAfter must not be negative");
        }
        this.base = b.base;
        this.multiplier = b.multiplier;
        this.cap = b.cap;
        this.resetAfter = b.resetAfter;
    }

    /** 500 ms base, x2, 30 s cap, reset after 30 s of healthy connection. */
    public static Backoff defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Duration base() {
        return base;
    }

    public double multiplier() {
        return multiplier;
    }

    public Duration cap() {
        return cap;
    }

    public Duration resetAfter() {
        return resetAfter;
    }

    /** The upper bound of the delay before attempt {@code attempt} (1-based). */
    public Duration maxDelay(int attempt) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be at least 1");
        }
        double millis = base.toMillis() * Math.pow(multiplier, Math.min(attempt - 1, 62));
        return millis >= cap.toMillis() ? cap : Duration.ofMillis((long) millis);
    }

    /** A delay drawn uniformly from [0, maxDelay(attempt)]. */
    public Duration delay(int attempt, Random random) {
        long bound = maxDelay(attempt).toMillis();
        long drawn = (long) (random.nextDouble() * (bound + 1));
        return Duration.ofMillis(Math.min(drawn, bound));
    }

    @Override
    public String toString() {
        return "Backoff{base=" + base.toMillis() + "ms, x" + multiplier + ", cap=" + cap.toMillis()
                + "ms, resetAfter=" + resetAfter.toMillis() + "ms}";
    }

    public static final class Builder {
        private Duration base = Duration.ofMillis(500);
        private double multiplier = 2.0;
        private Duration cap = Duration.ofSeconds(30);
        private Duration resetAfter = Duration.ofSeconds(30);

        private Builder() {
        }

        public Builder base(Duration base) {
            this.base = Objects.requireNonNull(base, "base");
            return this;
        }

        public Builder multiplier(double multiplier) {
            this.multiplier = multiplier;
            return this;
        }

        public Builder cap(Duration cap) {
            this.cap = Objects.requireNonNull(cap, "cap");
            return this;
        }

        public Builder resetAfter(Duration resetAfter) {
            this.resetAfter = Objects.requireNonNull(resetAfter, "resetAfter");
            return this;
        }

        public Backoff build() {
            return new Backoff(this);
        }
    }
}
