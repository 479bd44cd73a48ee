package dev.parley.client;

import java.util.Objects;

/** A message the app sent that the server has not acknowledged yet; kept in the outbox until it has. */
public final class PendingSend {
    private final String conversationId;
    private final String clientId;
    private final String body;

    public PendingSend(String conversationId, String clientId, String body) {
        this.conversationId = Objects.requireNonNull(conversationId, "conversationId");
        this.clientId = Objects.requireNonNull(clientId, "clientId");
        this.body = Objects.requireNonNull(body, "body");
    }

    public String conversationId() {
        return conversationId;
    }

    public String clientId() {
        return clientId;
    }

    public String body() {
        return body;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PendingSend && ((PendingSend) o).clientId.equals(clientId);
    }

    @Override
    public int hashCode() {
        return clientId.hashCode();
    }

    @Override
    public String toString() {
        return "PendingSend{" + conversationId + " " + clientId + "}";
    }
}
