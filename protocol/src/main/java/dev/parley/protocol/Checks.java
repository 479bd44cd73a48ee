package dev.parley.protocol;

import java.util.List;

/** Field checks shared by frame constructors; their messages are what clients see in bad_request errors. */
final class Checks {
    static final int MAX_ID_CHARS = 64;

    private Checks() {
    }

    static String id(String value, String field) {
        if (value == null) {
            throw new IllegalArgumentException(field + " is required");
        }
        if (value.isEmpty() || value.length() > MAX_ID_CHARS) {
            throw new IllegalArgumentException(field + " must be 1.." + MAX_ID_CHARS + " characters");
        }
        return value;
    }

    static String optionalRef(String ref) {
        if (ref != null && ref.length() > MAX_ID_CHARS) {
            throw new IllegalArgumentException("ref must be at most " + MAX_ID_CHARS + " characters");
        }
        return ref;
    }

    static String text(String value, String field) {
        if (value == null) {
            throw new IllegalArgumentException(field + " is required");
        }
        if (value.isEmpty()) {
            throw new IllegalArgumentException(field + " must not be empty");
        }
        return value;
    }

    static List<String> ids(List<String> values, String field) {
        if (values == null) {
            throw new IllegalArgumentException(field + " is required");
        }
        if (values.isEmpty()) {
            throw new IllegalArgumentException(field + " must not be empty");
        }
        for (String v : values) {
            id(v, field + "[]");
        }
        return List.copyOf(values);
    }

    static <T> T present(T value, String field) {
        if (value == null) {
            throw new IllegalArgumentException(field + " is required");
        }
        return value;
    }
}
