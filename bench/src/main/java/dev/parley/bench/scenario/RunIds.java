package dev.parley.bench.scenario;

import java.security.SecureRandom;

/** A short random prefix for the users and client_ids of one run, so runs against the same server never collide. */
final class RunIds {
    private static final SecureRandom RANDOM = new SecureRandom();

    private RunIds() {
    }

    static String next() {
        return "b" + Long.toString(Math.abs(RANDOM.nextLong() % 2_000_000_000L), 36);
    }
}
