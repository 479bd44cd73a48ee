package dev.parley.server.auth;

/** What a valid token says: who the user is and until when the token may be used. */
public record VerifiedToken(String userId, long expiresAtMs) {
}
