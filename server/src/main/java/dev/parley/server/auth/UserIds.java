package dev.parley.server.auth;

import java.util.regex.Pattern;

/** The shape of a user id: what a token's sub and a conversation member must look like. */
public final class UserIds {
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._@-]{1,64}");

    private UserIds() {
    }

    public static boolean isValid(String userId) {
        return userId != null && VALID.matcher(userId).matches();
    }
}
