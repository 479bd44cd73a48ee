package dev.parley.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/** One recipient's receipt for one message, as listed in a sync result. */
public final class Receipt {
    @JsonProperty("message_id")
    public final String messageId;
    @JsonProperty("conversation_id")
    public final String conversationId;
    @JsonProperty("seq")
    public final long seq;
    @JsonProperty("user_id")
    public final String userId;
    @JsonProperty("status")
    public final ReceiptStatus status;
    @JsonProperty("ts")
    public final long ts;

    @JsonCreator
    public Receipt(@JsonProperty("message_id") String messageId,
                   @JsonProperty("conversation_id") String conversationId,
                   @JsonProperty("seq") long seq,
                   @JsonProperty("user_id") String userId,
                   @JsonProperty("status") ReceiptStatus status,
                   @JsonProperty("ts") long ts) {
        this.messageId = messageId;
        this.conversationId = conversationId;
        this.seq = seq;
        this.userId = userId;
        this.status = status;
        this.ts = ts;
    }

    @Override
    public String toString() {
        return "Receipt{" + status.wire() + " " + messageId + " by " + userId + "}";
    }
}
