package dev.parley.server.it;

import static dev.parley.server.testing.Json.array;
import static dev.parley.server.testing.Json.uuid;
import static dev.parley.server.testing.WsClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Delivery and read receipts: point 4 of protocol v1. */
class ReceiptTest {
    @TempDir
    static Path dir;
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(dir);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void deliveredReceiptIsForwardedToTheSenderOnceEvenWhenSentTwice() {
        String c = server.createConversation("alice", "bob");
        try (WsClient alice = WsClient.authed(server, "alice"); WsClient bob = WsClient.authed(server, "bob")) {
            alice.subscribe(c);
            JsonNode ack = alice.sendMessage(c, uuid(), "hi");
            String id = ack.get("message_id").asText();
            long before = System.currentTimeMillis();
            bob.send(json("type", "message:delivered", "conversation_id", c, "message_ids", array(id)));
            JsonNode receipt = alice.expect("message:delivered");
            assertThat(receipt.get("conversation_id").asText()).isEqualTo(c);
            assertThat(receipt.get("message_id").asText()).isEqualTo(id);
            assertThat(receipt.get("seq").asLong()).isEqualTo(1);
            assertThat(receipt.get("user_id").asText()).isEqualTo("bob");
            assertThat(receipt.get("ts").asLong()).isGreaterThanOrEqualTo(before);
            assertThat(receipt.has("ref")).isFalse();

            bob.send(json("type", "message:delivered", "ref", "r2", "conversation_id", c, "message_ids", array(id)));
            assertThat(bob.expect("ok").get("ref").asText()).isEqualTo("r2"); // accepted silently...
            bob.send(json("type", "message:read", "conversation_id", c, "message_ids", array(id)));
            // ...and not forwarded again: the read (committed after the repeat) is the next thing alice sees.
            JsonNode read = alice.expect("message:read");
            assertThat(read.get("message_id").asText()).isEqualTo(id);
            alice.expectNothingElse();
        }
    }

    @Test
    void upToSeqCoversEveryMessageOfOthersUpToIt() {
        String c = server.createConversation("alice", "bob");
        try (WsClient alice = WsClient.authed(server, "alice"); WsClient bob = WsClient.authed(server, "bob")) {
            alice.subscribe(c);
            for (int i = 0; i < 3; i++) {
                alice.sendMessage(c, uuid(), "m" + i);
            }
            bob.sendMessage(c, uuid(), "bob's own"); // seq 4, not to be receipted by bob
            alice.expect("message:new");
            alice.sendMessage(c, uuid(), "after"); // seq 5, beyond up_to_seq
            bob.send(json("type", "message:delivered", "conversation_id", c, "up_to_seq", 4));
            for (int seq = 1; seq <= 3; seq++) {
                assertThat(alice.expect("message:delivered").get("seq").asLong()).isEqualTo(seq);
            }
            bob.send(json("type", "message:delivered", "conversation_id", c, "up_to_seq", 5));
            assertThat(alice.expect("message:delivered").get("seq").asLong()).isEqualTo(5);
            alice.expectNothingElse();
        }
    }

    @Test
    void readImpliesDeliveredAndBothAreForwarded() {
        String c = server.createConversation("alice", "bob");
        try (WsClient alice = WsClient.authed(server, "alice"); WsClient bob = WsClient.authed(server, "bob")) {
            alice.subscribe(c);
            String id = alice.sendMessage(c, uuid(), "hi").get("message_id").asText();
            bob.send(json("type", "message:read", "conversation_id", c, "message_ids", array(id)));
            assertThat(alice.expect("message:delivered").get("message_id").asText()).isEqualTo(id);
            assertThat(alice.expect("message:read").get("message_id").asText()).isEqualTo(id);
        }
    }

    @Test
    void receiptsForOwnMessagesAreIgnoredAndBadOnesRejected() {
        String c = server.createConversation("alice", "bob");
        String other = server.createConversation("carol", "dave");
        try (WsClient alice = WsClient.authed(server, "alice"); WsClient alice2 = WsClient.authed(server, "alice")) {
            alice2.subscribe(c);
            String id = alice.sendMessage(c, uuid(), "mine").get("message_id").asText();
            alice2.expect("message:new");
            alice.send(json("type", "message:delivered", "ref", "r1", "conversation_id", c, "message_ids", array(id)));
            alice.expect("ok");
            alice2.expectNothingElse();

            alice.send(json("type", "message:delivered", "ref", "r2", "conversation_id", other, "up_to_seq", 1));
            assertThat(alice.expect("error").get("code").asText()).isEqualTo("forbidden");
            alice.send(json("type", "message:delivered", "ref", "r3", "conversation_id", c, "message_ids", array("nope")));
            JsonNode notFound = alice.expect("error");
            assertThat(notFound.get("ref").asText()).isEqualTo("r3");
            assertThat(notFound.get("code").asText()).isEqualTo("not_found");
        }
    }

    @Test
    void receiptMadeWhileTheSenderWasOfflineComesBackInTheSendersNextSync() {
        String c = server.createConversation("alice", "bob");
        String id;
        long offlineSince;
        try (WsClient alice = WsClient.authed(server, "alice")) {
            id = alice.sendMessage(c, uuid(), "read me later").get("message_id").asText();
            offlineSince = System.currentTimeMillis();
        }
        try (WsClient bob = WsClient.authed(server, "bob")) {
            bob.send(json("type", "message:read", "ref", "r1", "conversation_id", c, "message_ids", array(id)));
            bob.expect("ok");
        }
        try (WsClient alice = WsClient.authed(server, "alice")) {
            alice.send(json("type", "sync", "ref", "y1", "since_ts", offlineSince));
            JsonNode result = alice.expect("sync:result");
            assertThat(result.get("receipts")).hasSize(2);
            assertThat(result.get("receipts").findValuesAsText("status")).containsExactly("delivered", "read");
            JsonNode receipt = result.get("receipts").get(0);
            assertThat(receipt.get("message_id").asText()).isEqualTo(id);
            assertThat(receipt.get("conversation_id").asText()).isEqualTo(c);
            assertThat(receipt.get("seq").asLong()).isEqualTo(1);
            assertThat(receipt.get("user_id").asText()).isEqualTo("bob");

            alice.send(json("type", "sync", "ref", "y2", "cursors", json(c, 1), "receipts_since_ts", offlineSince));
            assertThat(alice.expect("sync:result").get("receipts")).hasSize(2);
        }
    }
}
