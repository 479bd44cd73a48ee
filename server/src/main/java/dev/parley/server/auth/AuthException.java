package dev.parley.server.auth;

/** A token that cannot be accepted; the message is safe to show to the client (it never contains the token). */
public final class AuthException extends Exception {
    public AuthException(String message) {
        super(message, null, false, false);
    }
}
