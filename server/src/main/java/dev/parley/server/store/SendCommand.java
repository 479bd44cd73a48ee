package dev.parley.server.store;

/**
 * A message to commit, as validated by the router. {@code origin} is an opaque tag of the connection that sent
 * it, handed back to the commit listener so the broadcast can skip that connection.
 */
public record SendCommand(String senderId, String conversationId, String clientId, String body, String origin) {
}
