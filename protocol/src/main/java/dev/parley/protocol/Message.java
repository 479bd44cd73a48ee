package dev.parley.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/** A committed message as clients see it (in message:new and sync results). */
public final class Message {
    @JsonProperty("message_id")
    public final String messageId;
    @JsonProperty("conversation_id")
    public final String conversationId;
    @JsonProperty("seq")
    public final long seq;
    @JsonProperty("ts")
    public final long ts;
    @JsonProperty("sender_id")
    public final String senderId;
    @JsonProperty("client_id")
    public final String clientId;
    @JsonProperty("body")
    public final String body;

    @JsonCreator
    public Message(@JsonProperty("message_id") String messageId,
                   @JsonProperty("conversation_id") String conversationId,
                   @JsonProperty("seq") long seq,
                   @JsonProperty("ts") long ts,
                   @JsonProperty("sender_id") String senderId,
                   @JsonProperty("client_id") String clientId,
                   @JsonProperty("body") String body) {
        this.messageId = messageId;
        this.conversationId = conversationId;
        this.seq = seq;
        this.ts = ts;
        this.senderId = senderId;
        this.clientId = clientId;
        this.body = body;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Message && ((Message) o).messageId.equals(messageId);
    }

    @Override
    public int hashCode() {
        return messageId.hashCode();
    }

    @Override
    public String toString() {
        return "Message{" + conversationId + "#" + seq + " " + messageId + " from " + senderId + "}";
    }
}
