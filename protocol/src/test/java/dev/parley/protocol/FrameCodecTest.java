package dev.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FrameCodecTest {

    @Test
    void decodesEveryClientFrameType() throws Exception {
        assertThat(FrameCodec.decodeClientFrame("{\"type\":\"auth\",\"ref\":\"a1\",\"token\":\"t\"}"))
                .isInstanceOfSatisfying(ClientFrame.Auth.class, a -> {
                    assertThat(a.ref).isEqualTo("a1");
                    assertThat(a.token).isEqualTo("t");
                });
        assertThat(FrameCodec.decodeClientFrame("{\"type\":\"subscribe\",\"conversation_ids\":[\"c1\",\"c2\"]}"))
                .isInstanceOfSatisfying(ClientFrame.Subscribe.class, s -> assertThat(s.conversationIds).containsExactly("c1", "c2"));
        assertThat(FrameCodec.decodeClientFrame("{\"type\":\"message:send\",\"conversation_id\":\"c\",\"client_id\":\"u\",\"body\":\"hi\",\"extra\":1}"))
                .isInstanceOfSatisfying(ClientFrame.Send.class, s -> assertThat(s.body).isEqualTo("hi"));
        assertThat(FrameCodec.decodeClientFrame("{\"type\":\"message:delivered\",\"conversation_id\":\"c\",\"up_to_seq\":4}"))
                .isInstanceOfSatisfying(ClientFrame.MarkDelivered.class, m -> assertThat(m.upToSeq).isEqualTo(4L));
        assertThat(FrameCodec.decodeClientFrame("{\"type\":\"message:read\",\"conversation_id\":\"c\",\"message_ids\":[\"m\"]}"))
                .isInstanceOfSatisfying(ClientFrame.MarkRead.class, m -> assertThat(m.status()).isEqualTo(ReceiptStatus.READ));
        assertThat(FrameCodec.decodeClientFrame("{\"type\":\"sync\",\"cursors\":{\"c1\":42}}"))
                .isInstanceOfSatisfying(ClientFrame.Sync.class, s -> {
                    assertThat(s.cursors).containsEntry("c1", 42L);
                    assertThat(s.effectiveLimit()).isEqualTo(500);
                });
        assertThat(FrameCodec.decodeClientFrame("{\"type\":\"ping\"}")).isInstanceOf(ClientFrame.Ping.class);
    }

    @Test
    void rejectsBadFramesWithExactMessagesAndKeepsTheRef() {
        assertRejected("{oops", "malformed JSON", null);
        assertRejected("42", "a frame must be a JSON object", null);
        assertRejected("null", "a frame must be a JSON object", null);
        assertRejected("{\"type\":\"ping\",\"ref\":\"a\",\"ref\":\"b\"}", "duplicate field in frame", null);
        assertRejected("{\"ref\":\"r\"}", "type is required", "r");
        assertRejected("{\"type\":7,\"ref\":\"r\"}", "type must be a string", "r");
        assertRejected("{\"type\":\"nope\",\"ref\":\"r\"}", "unknown type 'nope'", "r");
        assertRejected("{\"type\":\"message:send\",\"ref\":\"r\",\"conversation_id\":\"c\",\"client_id\":\"u\"}", "body is required", "r");
        assertRejected("{\"type\":\"message:send\",\"ref\":\"r\",\"conversation_id\":\"c\",\"client_id\":\"u\",\"body\":\"\"}", "body must not be empty", "r");
        assertRejected("{\"type\":\"message:send\",\"ref\":\"r\",\"conversation_id\":\"c\",\"client_id\":\"u\",\"body\":5}", "field body has the wrong type", "r");
        assertRejected("{\"type\":\"message:send\",\"conversation_id\":\"c\",\"client_id\":\"" + "x".repeat(65) + "\",\"body\":\"b\"}",
                "client_id must be 1..64 characters", null);
        assertRejected("{\"type\":\"ping\",\"ref\":\"" + "x".repeat(65) + "\"}", "ref must be at most 64 characters", null);
        assertRejected("{\"type\":\"sync\",\"ref\":\"r\"}", "exactly one of since_ts, cursors or cursor is required", "r");
        assertRejected("{\"type\":\"sync\",\"ref\":\"r\",\"since_ts\":\"soon\"}", "field since_ts has the wrong type", "r");
        assertRejected("{\"type\":\"sync\",\"ref\":\"r\",\"since_ts\":1,\"limit\":1001}", "limit must be 1..1000", "r");
        assertRejected("{\"type\":\"message:delivered\",\"ref\":\"r\",\"conversation_id\":\"c\"}",
                "exactly one of message_ids or up_to_seq is required", "r");
        assertRejected("{\"type\":\"subscribe\",\"ref\":\"r\",\"conversation_ids\":[]}", "conversation_ids must not be empty", "r");
    }

    private static void assertRejected(String text, String message, String ref) {
        assertThatThrownBy(() -> FrameCodec.decodeClientFrame(text))
                .isInstanceOfSatisfying(ProtocolException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST);
                    assertThat(e.getMessage()).isEqualTo(message);
                    assertThat(e.ref()).isEqualTo(ref);
                });
    }

    @Test
    void serverFramesRoundTripWithTheWireNames() throws Exception {
        Message m = new Message("m1", "c1", 43, 1000, "alice", "u1", "hello");
        String text = FrameCodec.encode(new ServerFrame.New(m));
        assertThat(text).isEqualTo("{\"type\":\"message:new\",\"message\":{\"message_id\":\"m1\",\"conversation_id\":\"c1\","
                + "\"seq\":43,\"ts\":1000,\"sender_id\":\"alice\",\"client_id\":\"u1\",\"body\":\"hello\"}}");
        assertThat(FrameCodec.decodeServerFrame(text)).isInstanceOfSatisfying(ServerFrame.New.class,
                n -> assertThat(n.message.body).isEqualTo("hello"));

        String sync = FrameCodec.encode(new ServerFrame.SyncResult("y1", List.of(), List.of(), false, null));
        assertThat(sync).contains("\"next_cursor\":null").contains("\"has_more\":false");

        String error = FrameCodec.encode(new ServerFrame.Error("m9", ErrorCode.RATE_LIMITED, "slow down", null, 10L));
        assertThat(error).isEqualTo("{\"type\":\"error\",\"ref\":\"m9\",\"code\":\"rate_limited\",\"message\":\"slow down\",\"retry_after_ms\":10}");

        String delivered = FrameCodec.encode(ServerFrame.ReceiptNotice.of(new Receipt("m1", "c1", 43, "bob", ReceiptStatus.READ, 5)));
        assertThat(delivered).startsWith("{\"type\":\"message:read\"");
    }

    @Test
    void clientFramesEncodeForClients() throws Exception {
        String text = FrameCodec.encode(new ClientFrame.Sync("y", null, Map.of("c1", 3L), 100L, null, 50));
        assertThat(text).isEqualTo("{\"type\":\"sync\",\"ref\":\"y\",\"cursors\":{\"c1\":3},\"receipts_since_ts\":100,\"limit\":50}");
        assertThat(FrameCodec.decodeClientFrame(text)).isInstanceOf(ClientFrame.Sync.class);
    }

    @Test
    void closeCodesSayWhetherToReconnect() {
        assertThat(CloseCode.of(4009).reconnect()).isTrue();
        assertThat(CloseCode.of(1000).reconnect()).isFalse();
        assertThat(CloseCode.of(4999)).isNull();
    }
}
