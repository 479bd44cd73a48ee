package dev.parley.server.it;

import static dev.parley.server.testing.WsClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import static dev.parley.server.testing.Json.array;
import static dev.parley.server.testing.Json.parse;
import static dev.parley.server.testing.Json.uuid;

import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Subscribe and send: points 2 and 3 of protocol v1. */
class MessagingTest {
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
    void subscribeAnswersWithEachConversationsPosition() {
        String c1 = server.createConversation("alice", "bob");
        String c2 = server.createConversation("alice", "carol");
        try (WsClient alice = WsClient.authed(server, "alice")) {
            alice.sendMessage(c1, uuid(), "one");
            alice.sendMessage(c1, uuid(), "two");
            alice.send(json("type", "subscribe", "ref", "s1", "conversation_ids", array(c1, c2)));
            JsonNode subscribed = alice.expect("subscribed");
            assertThat(subscribed.get("ref").asText()).isEqualTo("s1");
            assertThat(subscribed.get("conversations")).hasSize(2);
            assertThat(subscribed.get("conversations").get(0).get("id").asText()).isEqualTo(c1);
            assertThat(subscribed.get("conversations").get(0).get("last_seq").asLong()).isEqualTo(2);
            assertThat(subscribed.get("conversations").get(0).get("last_ts").asLong()).isPositive();
            assertThat(subscribed.get("conversations").get(1).get("last_seq").asLong()).isZero();
        }
    }

    @Test
    void subscribeToAnotherUsersOrUnknownConversationIsForbiddenAndSubscribesNone() {
        String mine = server.createConversation("alice", "bob");
        String theirs = server.createConversation("bob", "carol");
        try (WsClient alice = WsClient.authed(server, "alice"); WsClient bob = WsClient.authed(server, "bob")) {
            alice.send(json("type", "subscribe", "ref", "s1", "conversation_ids", array(mine, theirs, "no-such-id")));
            JsonNode error = alice.expect("error");
            assertThat(error.get("ref").asText()).isEqualTo("s1");
            assertThat(error.get("code").asText()).isEqualTo("forbidden");
            assertThat(error.get("conversation_ids")).extracting(JsonNode::asText).containsExactly(theirs, "no-such-id");
            bob.sendMessage(mine, uuid(), "not for a failed subscription");
            alice.expectNothingElse(); // "mine" was not subscribed either: all or nothing
        }
    }

    @Test
    void sendIsAckedAfterCommitAndBroadcastToEveryOtherSubscribedConnection() {
        String c = server.createConversation("alice", "bob");
        try (WsClient alice = WsClient.authed(server, "alice");
             WsClient alicePhone = WsClient.authed(server, "alice");
             WsClient bob = WsClient.authed(server, "bob")) {
            alice.subscribe(c);
            alicePhone.subscribe(c);
            bob.subscribe(c);
            String clientId = uuid();
            long before = System.currentTimeMillis();
            alice.send(WsClient.message(c, clientId, "hello", "m1"));
            JsonNode ack = alice.expect("message:ack");
            assertThat(ack.get("ref").asText()).isEqualTo("m1");
            assertThat(ack.get("conversation_id").asText()).isEqualTo(c);
            assertThat(ack.get("client_id").asText()).isEqualTo(clientId);
            assertThat(ack.get("message_id").asText()).isNotBlank();
            assertThat(ack.get("seq").asLong()).isEqualTo(1);
            assertThat(ack.get("ts").asLong()).isGreaterThanOrEqualTo(before);
            for (WsClient other : List.of(bob, alicePhone)) {
                JsonNode message = other.expect("message:new").get("message");
                assertThat(message.get("message_id").asText()).isEqualTo(ack.get("message_id").asText());
                assertThat(message.get("conversation_id").asText()).isEqualTo(c);
                assertThat(message.get("seq").asLong()).isEqualTo(1);
                assertThat(message.get("ts").asLong()).isEqualTo(ack.get("ts").asLong());
                assertThat(message.get("sender_id").asText()).isEqualTo("alice");
                assertThat(message.get("client_id").asText()).isEqualTo(clientId);
                assertThat(message.get("body").asText()).isEqualTo("hello");
            }
            alice.expectNothingElse(); // the sending connection gets its ack, not its own message:new
        }
    }

    @Test
    void seqStartsAtOneHasNoGapsAndArrivesInOrderWithNonDecreasingTs() {
        String c = server.createConversation("alice", "bob");
        try (WsClient alice = WsClient.authed(server, "alice"); WsClient bob = WsClient.authed(server, "bob")) {
            bob.subscribe(c);
            for (int i = 0; i < 100; i++) {
                alice.send(WsClient.message(c, uuid(), "m" + i, "r" + i));
            }
            long lastTs = 0;
            for (int i = 0; i < 100; i++) {
                JsonNode ack = alice.expect("message:ack");
                assertThat(ack.get("ref").asText()).isEqualTo("r" + i);
                assertThat(ack.get("seq").asLong()).isEqualTo(i + 1);
                JsonNode m = bob.expect("message:new").get("message");
                assertThat(m.get("seq").asLong()).isEqualTo(i + 1);
                assertThat(m.get("body").asText()).isEqualTo("m" + i);
                assertThat(m.get("ts").asLong()).isGreaterThanOrEqualTo(lastTs);
                lastTs = m.get("ts").asLong();
            }
        }
    }

    @Test
    void sameClientIdThreeTimesGivesOneMessageAndThreeIdenticalAcks() {
        String c = server.createConversation("alice", "bob");
        String clientId = uuid();
        try (WsClient bob = WsClient.authed(server, "bob")) {
            bob.subscribe(c);
            List<JsonNode> acks = new ArrayList<>();
            try (WsClient alice = WsClient.authed(server, "alice")) {
                acks.add(alice.sendMessage(c, clientId, "once"));
                acks.add(alice.sendMessage(c, clientId, "once"));
            }
            try (WsClient aliceAgain = WsClient.authed(server, "alice")) { // a retry on a later connection
                acks.add(aliceAgain.sendMessage(c, clientId, "once"));
            }
            for (JsonNode ack : acks) {
                assertThat(ack.get("message_id")).isEqualTo(acks.get(0).get("message_id"));
                assertThat(ack.get("seq")).isEqualTo(acks.get(0).get("seq"));
                assertThat(ack.get("ts")).isEqualTo(acks.get(0).get("ts"));
            }
            assertThat(bob.expect("message:new").get("message").get("client_id").asText()).isEqualTo(clientId);
            bob.expectNothingElse();
            JsonNode history = parse(server.get("/api/conversations/" + c + "/messages", server.token("bob")).body());
            assertThat(history.get("messages")).hasSize(1);
        }
    }

    @Test
    void sameClientIdForAnotherConversationIsAConflict() {
        String c1 = server.createConversation("alice", "bob");
        String c2 = server.createConversation("alice", "carol");
        String clientId = uuid();
        try (WsClient alice = WsClient.authed(server, "alice")) {
            alice.sendMessage(c1, clientId, "first");
            alice.send(WsClient.message(c2, clientId, "second", "m2"));
            JsonNode error = alice.expect("error");
            assertThat(error.get("ref").asText()).isEqualTo("m2");
            assertThat(error.get("code").asText()).isEqualTo("conflict");
        }
    }

    @Test
    void sendToAConversationOfOthersIsForbidden() {
        String theirs = server.createConversation("bob", "carol");
        try (WsClient alice = WsClient.authed(server, "alice")) {
            alice.send(WsClient.message(theirs, uuid(), "hi", "m1"));
            assertThat(alice.expect("error").get("code").asText()).isEqualTo("forbidden");
            alice.send(WsClient.message("no-such-conversation", uuid(), "hi", "m2"));
            assertThat(alice.expect("error").get("code").asText()).isEqualTo("forbidden");
        }
    }

    @Test
    void bodyOverTheLimitIsTooLarge() {
        String c = server.createConversation("alice", "bob");
        try (WsClient alice = WsClient.authed(server, "alice")) {
            alice.send(WsClient.message(c, uuid(), "é".repeat(8193), "m1")); // 16,386 bytes in UTF-8
            JsonNode error = alice.expect("error");
            assertThat(error.get("code").asText()).isEqualTo("too_large");
            assertThat(alice.sendMessage(c, uuid(), "x".repeat(16_384)).get("seq").asLong()).isEqualTo(1);
        }
    }

    @Test
    void subscribingTwiceDeliversOneCopyAndUnsubscribeStopsDelivery() {
        String c = server.createConversation("alice", "bob");
        try (WsClient alice = WsClient.authed(server, "alice"); WsClient bob = WsClient.authed(server, "bob")) {
            bob.subscribe(c);
            bob.subscribe(c);
            alice.sendMessage(c, uuid(), "one copy");
            bob.expect("message:new");
            bob.expectNothingElse();
            bob.send(json("type", "unsubscribe", "ref", "u1", "conversation_ids", array(c)));
            JsonNode unsubscribed = bob.expect("unsubscribed");
            assertThat(unsubscribed.get("ref").asText()).isEqualTo("u1");
            alice.sendMessage(c, uuid(), "not delivered");
            bob.expectNothingElse();
        }
    }

    @Test
    void pipelinedAuthSubscribeAndSyncAreAnsweredInOrder() {
        String c = server.createConversation("alice", "bob");
        try (WsClient bob = WsClient.authed(server, "bob")) {
            bob.sendMessage(c, uuid(), "before");
        }
        try (WsClient alice = WsClient.connect(server.wsUrl())) {
            alice.send(json("type", "auth", "ref", "a1", "token", server.token("alice")));
            alice.send(json("type", "subscribe", "ref", "s1", "conversation_ids", array(c)));
            ObjectNode cursors = json(c, 0);
            alice.send(json("type", "sync", "ref", "y1", "cursors", cursors));
            assertThat(alice.expect("auth:ok").get("ref").asText()).isEqualTo("a1");
            assertThat(alice.expect("subscribed").get("ref").asText()).isEqualTo("s1");
            JsonNode sync = alice.expect("sync:result");
            assertThat(sync.get("ref").asText()).isEqualTo("y1");
            assertThat(sync.get("messages")).hasSize(1);
        }
    }

    @Test
    void aSendPipelinedAfterSubscribeAndSyncIsNotSeenByThem() {
        for (int round = 0; round < 10; round++) {
            String c = server.createConversation("alice", "bob");
            try (WsClient alice = WsClient.authed(server, "alice")) {
                alice.sendMessage(c, uuid(), "first");
                alice.send(json("type", "subscribe", "ref", "s1", "conversation_ids", array(c)));
                alice.send(json("type", "sync", "ref", "y1", "cursors", json(c, 0)));
                alice.send(WsClient.message(c, uuid(), "second", "m2"));
                assertThat(alice.expect("subscribed").get("conversations").get(0).get("last_seq").asLong()).isEqualTo(1);
                assertThat(alice.expect("sync:result").get("messages").findValuesAsText("body")).containsExactly("first");
                assertThat(alice.expect("message:ack").get("seq").asLong()).isEqualTo(2);
            }
        }
    }

    @Test
    void sendsQueuedBehindAReadKeepTheirOrder() {
        String c = server.createConversation("alice", "bob");
        try (WsClient alice = WsClient.authed(server, "alice")) {
            alice.send(json("type", "sync", "ref", "y1", "since_ts", 0));
            for (int i = 1; i <= 20; i++) {
                alice.send(WsClient.message(c, uuid(), "m" + i, "r" + i));
            }
            alice.expect("sync:result");
            for (int i = 1; i <= 20; i++) {
                JsonNode ack = alice.expect("message:ack");
                assertThat(ack.get("ref").asText()).isEqualTo("r" + i);
                assertThat(ack.get("seq").asLong()).isEqualTo(i);
            }
        }
    }
}
