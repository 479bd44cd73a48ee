package dev.parley.server.store;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Server-made ids. Message ids are time-ordered (48 bits of milliseconds, then 80 random bits, in Crockford
 * base32, like a ULID), so they index well and sort roughly by creation on every node.
 */
public final class Ids {
    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();

    private Ids() {
    }

    public static String messageId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        char[] out = new char[26];
        long time = System.currentTimeMillis();
        for (int i = 9; i >= 0; i--) {
            out[i] = ALPHABET[(int) (time & 31)];
            time >>>= 5;
        }
        for (int i = 10; i < 26; i++) {
            out[i] = ALPHABET[random.nextInt(32)];
        }
        return new String(out);
    }

    public static String conversationId() {
        return "c_" + random(16);
    }

    public static String connectionId() {
        return random(12);
    }

    private static String random(int length) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = ALPHABET[random.nextInt(32)];
        }
        return new String(out).toLowerCase(java.util.Locale.ROOT);
    }
}
