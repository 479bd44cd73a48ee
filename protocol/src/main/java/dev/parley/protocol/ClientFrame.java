package dev.parley.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** A frame a client sends to the server. The closed set of types is listed here, in one place. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = ClientFrame.Auth.class, name = "auth"),
    @JsonSubTypes.Type(value = ClientFrame.Subscribe.class, name = "subscribe"),
    @JsonSubTypes.Type(value = ClientFrame.Unsubscribe.class, name = "unsubscribe"),
    @JsonSubTypes.Type(value = ClientFrame.Send.class, name = "message:send"),
    @JsonSubTypes.Type(value = ClientFrame.MarkDelivered.class, name = "message:delivered"),
    @JsonSubTypes.Type(value = ClientFrame.MarkRead.class, name = "message:read"),
    @JsonSubTypes.Type(value = ClientFrame.Sync.class, name = "sync"),
    @JsonSubTypes.Type(value = ClientFrame.Ping.class, name = "ping"),
})
@JsonInclude(JsonInclude.Include.NON_NULL)
public abstract class ClientFrame {
    /** Copied by the server into its direct reply; at most 64 characters; may be null. */
    @JsonProperty("ref")
    public final String ref;

    ClientFrame(String ref) {
        this.ref = Checks.optionalRef(ref);
    }

    /** {@code auth}: the first frame of a connection, and later a token refresh. */
    public static final class Auth extends ClientFrame {
        @JsonProperty("token")
        public final String token;

        public Auth(@JsonProperty("ref") String ref, @JsonProperty("token") String token) {
            super(ref);
            this.token = Checks.text(token, "token");
        }
    }

    /** {@code subscribe}: all or nothing. */
    public static final class Subscribe extends ClientFrame {
        @JsonProperty("conversation_ids")
        public final java.util.List<String> conversationIds;

        public Subscribe(@JsonProperty("ref") String ref,
                         @JsonProperty("conversation_ids") java.util.List<String> conversationIds) {
            super(ref);
            this.conversationIds = Checks.ids(conversationIds, "conversation_ids");
        }
    }

    /** {@code unsubscribe}: same shape as subscribe. */
    public static final class Unsubscribe extends ClientFrame {
        @JsonProperty("conversation_ids")
        public final java.util.List<String> conversationIds;

        public Unsubscribe(@JsonProperty("ref") String ref,
                           @JsonProperty("conversation_ids") java.util.List<String> conversationIds) {
            super(ref);
            this.conversationIds = Checks.ids(conversationIds, "conversation_ids");
        }
    }

    /** {@code message:send}: client_id makes retries idempotent. */
    public static final class Send extends ClientFrame {
        @JsonProperty("conversation_id")
        public final String conversationId;
        @JsonProperty("client_id")
        public final String clientId;
        @JsonProperty("body")
        public final String body;

        public Send(@JsonProperty("ref") String ref,
                    @JsonProperty("conversation_id") String conversationId,
                    @JsonProperty("client_id") String clientId,
                    @JsonProperty("body") String body) {
            super(ref);
            this.conversationId = Checks.id(conversationId, "conversation_id");
            this.clientId = Checks.id(clientId, "client_id");
            this.body = Checks.text(body, "body");
        }
    }

    /** A receipt: either explicit message ids or every message up to a seq. */
    public abstract static class Mark extends ClientFrame {
        @JsonProperty("conversation_id")
        public final String conversationId;
        @JsonProperty("message_ids")
        public final java.util.List<String> messageIds;
        @JsonProperty("up_to_seq")
        public final Long upToSeq;

        Mark(String ref, String conversationId, java.util.List<String> messageIds, Long upToSeq) {
            super(ref);
            this.conversationId = Checks.id(conversationId, "conversation_id");
            if ((messageIds == null) == (upToSeq == null)) {
                throw new IllegalArgumentException("exactly one of message_ids or up_to_seq is required");
            }
            this.messageIds = messageIds == null ? null : Checks.ids(messageIds, "message_ids");
            if (upToSeq != null && upToSeq < 1) {
                throw new IllegalArgumentException("up_to_seq must be at least 1");
            }
            this.upToSeq = upToSeq;
        }

        /** {@link ReceiptStatus#DELIVERED} or {@link ReceiptStatus#READ}. */
        public abstract ReceiptStatus status();
    }

    /** {@code message:delivered} sent by a recipient. */
    public static final class MarkDelivered extends Mark {
        public MarkDelivered(@JsonProperty("ref") String ref,
                             @JsonProperty("conversation_id") String conversationId,
                             @JsonProperty("message_ids") java.util.List<String> messageIds,
                             @JsonProperty("up_to_seq") Long upToSeq) {
            super(ref, conversationId, messageIds, upToSeq);
        }

        @Override
        public ReceiptStatus status() {
            return ReceiptStatus.DELIVERED;
        }
    }

    /** {@code message:read} sent by a recipient; read implies delivered. */
    public static final class MarkRead extends Mark {
        public MarkRead(@JsonProperty("ref") String ref,
                        @JsonProperty("conversation_id") String conversationId,
                        @JsonProperty("message_ids") java.util.List<String> messageIds,
                        @JsonProperty("up_to_seq") Long upToSeq) {
            super(ref, conversationId, messageIds, upToSeq);
        }

        @Override
        public ReceiptStatus status() {
            return ReceiptStatus.READ;
        }
    }

    /** {@code sync}: exactly one of since_ts, cursors or cursor (a next_cursor from a previous page). */
    public static final class Sync extends ClientFrame {
        public static final int DEFAULT_LIMIT = 500;
        public static final int MAX_LIMIT = 1000;

        @JsonProperty("since_ts")
        public final Long sinceTs;
        @JsonProperty("cursors")
        public final java.util.Map<String, Long> cursors;
        @JsonProperty("cursor")
        public final String cursor;
        /** Only with cursors: also list receipts for the user's messages in those conversations since then. */
        @JsonProperty("receipts_since_ts")
        public final Long receiptsSinceTs;
        @JsonProperty("limit")
        public final Integer limit;

        public Sync(@JsonProperty("ref") String ref,
                    @JsonProperty("since_ts") Long sinceTs,
                    @JsonProperty("cursors") java.util.Map<String, Long> cursors,
                    @JsonProperty("receipts_since_ts") Long receiptsSinceTs,
                    @JsonProperty("cursor") String cursor,
                    @JsonProperty("limit") Integer limit) {
            super(ref);
            int forms = (sinceTs == null ? 0 : 1) + (cursors == null ? 0 : 1) + (cursor == null ? 0 : 1);
            if (forms != 1) {
                throw new IllegalArgumentException("exactly one of since_ts, cursors or cursor is required");
            }
            if (sinceTs != null && sinceTs < 0) {
                throw new IllegalArgumentException("since_ts must not be negative");
            }
            if (cursors != null) {
                for (java.util.Map.Entry<String, Long> e : cursors.entrySet()) {
                    Checks.id(e.getKey(), "cursors key");
                    if (e.getValue() == null || e.getValue() < 0) {
                        throw new IllegalArgumentException("cursors values must be seq numbers >= 0");
                    }
                }
                if (cursors.isEmpty()) {
                    throw new IllegalArgumentException("cursors must not be empty");
                }
            }
            if (receiptsSinceTs != null && (cursors == null || receiptsSinceTs < 0)) {
                throw new IllegalArgumentException("receipts_since_ts goes with cursors and must not be negative");
            }
            if (limit != null && (limit < 1 || limit > MAX_LIMIT)) {
                throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT);
            }
            this.sinceTs = sinceTs;
            this.cursors = cursors == null ? null : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(cursors));
            this.receiptsSinceTs = receiptsSinceTs;
            this.cursor = cursor;
            this.limit = limit;
        }

        public int effectiveLimit() {
            return limit == null ? DEFAULT_LIMIT : limit;
        }
    }

    /** {@code ping}: the app-level heartbeat browsers use. */
    public static final class Ping extends ClientFrame {
        public Ping(@JsonProperty("ref") String ref) {
            super(ref);
        }
    }
}
