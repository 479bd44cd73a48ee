package dev.parley.client.internal;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;

/** Checks of the app's arguments, made before anything is queued, with exact messages. */
final class Args {
    private static final int MAX_ID_CHARS = 64;

    private Args() {
    }

    static String id(String value, String name) {
        if (value == null || value.isEmpty() || value.length() > MAX_ID_CHARS) {
            throw new IllegalArgumentException(name + " must be 1.." + MAX_ID_CHARS + " characters");
        }
        return value;
    }

    static String text(String value, String name) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
        return value;
    }

    /** Distinct ids in the order given. */
    static List<String> ids(Collection<String> values, String name) {
        if (values == null || values.isEmpty()) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
        for (String v : values) {
            id(v, name + "[]");
        }
        return List.copyOf(new LinkedHashSet<>(values));
    }
}
