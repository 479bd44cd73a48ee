package dev.parley.client;

/**
 * Supplies the JWT for each connection attempt, so an app can refresh tokens. Called on a background thread,
 * never on the callback executor, and again before every reconnect.
 */
@FunctionalInterface
public interface TokenProvider {
    /**
     * @return a token, or null when none can be had (the client then closes with an auth failure)
     * @throws Exception for a temporary failure (e.g. the auth server is unreachable): the client retries with backoff
     */
    String token() throws Exception;
}
