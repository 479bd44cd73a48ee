package dev.parley.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/** A frame the server sends to a client. The closed set of types is listed here, in one place. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = ServerFrame.AuthOk.class, name = "auth:ok"),
    @JsonSubTypes.Type(value = ServerFrame.Subscribed.class, name = "subscribed"),
    @JsonSubTypes.Type(value = ServerFrame.Unsubscribed.class, name = "unsubscribed"),
    @JsonSubTypes.Type(value = ServerFrame.Ack.class, name = "message:ack"),
    @JsonSubTypes.Type(value = ServerFrame.New.class, name = "message:new"),
    @JsonSubTypes.Type(value = ServerFrame.Delivered.class, name = "message:delivered"),
    @JsonSubTypes.Type(value = ServerFrame.Read.class, name = "message:read"),
    @JsonSubTypes.Type(value = ServerFrame.SyncResult.class, name = "sync:result"),
    @JsonSubTypes.Type(value = ServerFrame.Pong.class, name = "pong"),
    @JsonSubTypes.Type(value = ServerFrame.Ok.class, name = "ok"),
    @JsonSubTypes.Type(value = ServerFrame.Error.class, name = "error"),
})
@JsonInclude(JsonInclude.Include.NON_NULL)
public abstract class ServerFrame {
    /** The ref of the request this frame answers, or null for pushed frames. */
    @JsonProperty("ref")
    public final String ref;

    ServerFrame(String ref) {
        this.ref = ref;
    }

    /** The handshake succeeded; the connection is bound to user_id. */
    public static final class AuthOk extends ServerFrame {
        @JsonProperty("user_id")
        public final String userId;
        @JsonProperty("connection_id")
        public final String connectionId;
        @JsonProperty("server_time")
        public final long serverTime;
        @JsonProperty("heartbeat_ms")
        public final long heartbeatMs;
        @JsonProperty("limits")
        public final Limits limits;

        @JsonCreator
        public AuthOk(@JsonProperty("ref") String ref,
                      @JsonProperty("user_id") String userId,
                      @JsonProperty("connection_id") String connectionId,
                      @JsonProperty("server_time") long serverTime,
                      @JsonProperty("heartbeat_ms") long heartbeatMs,
                      @JsonProperty("limits") Limits limits) {
            super(ref);
            this.userId = userId;
            this.connectionId = connectionId;
            this.serverTime = serverTime;
            this.heartbeatMs = heartbeatMs;
            this.limits = limits;
        }
    }

    /** The server's size limits, announced in auth:ok. */
    public static final class Limits {
        @JsonProperty("max_frame_bytes")
        public final int maxFrameBytes;
        @JsonProperty("max_body_bytes")
        public final int maxBodyBytes;

        @JsonCreator
        public Limits(@JsonProperty("max_frame_bytes") int maxFrameBytes,
                      @JsonProperty("max_body_bytes") int maxBodyBytes) {
            this.maxFrameBytes = maxFrameBytes;
            this.maxBodyBytes = maxBodyBytes;
        }
    }

    /** Where a conversation stood when the subscription began. */
    public static final class Position {
        @JsonProperty("id")
        public final String id;
        @JsonProperty("last_seq")
        public final long lastSeq;
        @JsonProperty("last_ts")
        public final long lastTs;

        @JsonCreator
        public Position(@JsonProperty("id") String id,
                        @JsonProperty("last_seq") long lastSeq,
                        @JsonProperty("last_ts") long lastTs) {
            this.id = id;
            this.lastSeq = lastSeq;
            this.lastTs = lastTs;
        }
    }

    public static final class Subscribed extends ServerFrame {
        @JsonProperty("conversations")
        public final List<Position> conversations;

        @JsonCreator
        public Subscribed(@JsonProperty("ref") String ref,
                          @JsonProperty("conversations") List<Position> conversations) {
            super(ref);
            this.conversations = conversations;
        }
    }

    public static final class Unsubscribed extends ServerFrame {
        @JsonProperty("conversation_ids")
        public final List<String> conversationIds;

        @JsonCreator
        public Unsubscribed(@JsonProperty("ref") String ref,
                            @JsonProperty("conversation_ids") List<String> conversationIds) {
            super(ref);
            this.conversationIds = conversationIds;
        }
    }

    /** The message is committed durably; identical for every retry of the same client_id. */
    public static final class Ack extends ServerFrame {
        @JsonProperty("conversation_id")
        public final String conversationId;
        @JsonProperty("client_id")
        public final String clientId;
        @JsonProperty("message_id")
        public final String messageId;
        @JsonProperty("seq")
        public final long seq;
        @JsonProperty("ts")
        public final long ts;

        @JsonCreator
        public Ack(@JsonProperty("ref") String ref,
                   @JsonProperty("conversation_id") String conversationId,
                   @JsonProperty("client_id") String clientId,
                   @JsonProperty("message_id") String messageId,
                   @JsonProperty("seq") long seq,
                   @JsonProperty("ts") long ts) {
            super(ref);
            this.conversationId = conversationId;
            this.clientId = clientId;
            this.messageId = messageId;
            this.seq = seq;
            this.ts = ts;
        }
    }

    /** A message committed in a subscribed conversation. */
    public static final class New extends ServerFrame {
        @JsonProperty("message")
        public final Message message;

        @JsonCreator
        public New(@JsonProperty("message") Message message) {
            super(null);
            this.message = message;
        }
    }

    /** A receipt forwarded to the sender of the message. */
    public abstract static class ReceiptNotice extends ServerFrame {
        @JsonProperty("conversation_id")
        public final String conversationId;
        @JsonProperty("message_id")
        public final String messageId;
        @JsonProperty("seq")
        public final long seq;
        @JsonProperty("user_id")
        public final String userId;
        @JsonProperty("ts")
        public final long ts;

        ReceiptNotice(String conversationId, String messageId, long seq, String userId, long ts) {
            super(null);
            this.conversationId = conversationId;
            this.messageId = messageId;
            this.seq = seq;
            this.userId = userId;
            this.ts = ts;
        }

        public abstract ReceiptStatus status();

        public static ReceiptNotice of(Receipt r) {
            return r.status == ReceiptStatus.READ
                    ? new Read(r.conversationId, r.messageId, r.seq, r.userId, r.ts)
                    : new Delivered(r.conversationId, r.messageId, r.seq, r.userId, r.ts);
        }
    }

    public static final class Delivered extends ReceiptNotice {
        @JsonCreator
        public Delivered(@JsonProperty("conversation_id") String conversationId,
                         @JsonProperty("message_id") String messageId,
                         @JsonProperty("seq") long seq,
                         @JsonProperty("user_id") String userId,
                         @JsonProperty("ts") long ts) {
            super(conversationId, messageId, seq, userId, ts);
        }

        @Override
        public ReceiptStatus status() {
            return ReceiptStatus.DELIVERED;
        }
    }

    public static final class Read extends ReceiptNotice {
        @JsonCreator
        public Read(@JsonProperty("conversation_id") String conversationId,
                    @JsonProperty("message_id") String messageId,
                    @JsonProperty("seq") long seq,
                    @JsonProperty("user_id") String userId,
                    @JsonProperty("ts") long ts) {
            super(conversationId, messageId, seq, userId, ts);
        }

        @Override
        public ReceiptStatus status() {
            return ReceiptStatus.READ;
        }
    }

    public static final class SyncResult extends ServerFrame {
        @JsonProperty("messages")
        public final List<Message> messages;
        @JsonProperty("receipts")
        public final List<Receipt> receipts;
        @JsonProperty("has_more")
        public final boolean hasMore;
        /** Always present on the wire, null on the last page. */
        @JsonProperty("next_cursor")
        @JsonInclude(JsonInclude.Include.ALWAYS)
        public final String nextCursor;

        @JsonCreator
        public SyncResult(@JsonProperty("ref") String ref,
                          @JsonProperty("messages") List<Message> messages,
                          @JsonProperty("receipts") List<Receipt> receipts,
                          @JsonProperty("has_more") boolean hasMore,
                          @JsonProperty("next_cursor") String nextCursor) {
            super(ref);
            this.messages = messages;
            this.receipts = receipts;
            this.hasMore = hasMore;
            this.nextCursor = nextCursor;
        }
    }

    public static final class Pong extends ServerFrame {
        @JsonProperty("server_time")
        public final long serverTime;

        @JsonCreator
        public Pong(@JsonProperty("ref") String ref, @JsonProperty("server_time") long serverTime) {
            super(ref);
            this.serverTime = serverTime;
        }
    }

    /** Success reply to a request that has no richer answer (a receipt sent with a ref). */
    public static final class Ok extends ServerFrame {
        @JsonCreator
        public Ok(@JsonProperty("ref") String ref) {
            super(ref);
        }
    }

    public static final class Error extends ServerFrame {
        @JsonProperty("code")
        public final ErrorCode code;
        @JsonProperty("message")
        public final String message;
        /** With forbidden on subscribe: the ids the user may not subscribe to. */
        @JsonProperty("conversation_ids")
        public final List<String> conversationIds;
        /** With rate_limited: when the next send will be accepted. */
        @JsonProperty("retry_after_ms")
        public final Long retryAfterMs;

        @JsonCreator
        public Error(@JsonProperty("ref") String ref,
                     @JsonProperty("code") ErrorCode code,
                     @JsonProperty("message") String message,
                     @JsonProperty("conversation_ids") List<String> conversationIds,
                     @JsonProperty("retry_after_ms") Long retryAfterMs) {
            super(ref);
            this.code = code;
            this.message = message;
            this.conversationIds = conversationIds;
            this.retryAfterMs = retryAfterMs;
        }

        public Error(String ref, ErrorCode code, String message) {
            this(ref, code, message, null, null);
        }

        public static Error of(ProtocolException e) {
            return new Error(e.ref(), e.code(), e.getMessage());
        }
    }
}
