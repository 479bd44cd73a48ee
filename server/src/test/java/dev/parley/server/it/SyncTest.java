package dev.parley.server.it;

import static dev.parley.server.testing.Json.uuid;
import static dev.parley.server.testing.WsClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Gap fill: point 5 of protocol v1. */
class SyncTest {
    @TempDir
    static Path dir;
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(dir, b -> b.sendRatePerSecond(10_000).sendBurst(10_000));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void sinceTsEqualToTheTimestampOfTwoSameMillisecondMessagesReturnsBoth() {
        String c = server.createConversation("alice", "bob");
        try (WsClient alice = WsClient.authed(server, "alice"); WsClient bob = WsClient.authed(server, "bob")) {
            long shared = -1;
            List<String> sharing = new ArrayList<>();
            // Pipelined sends land in one group commit, so some share a millisecond; send until two do.
            for (int round = 0; round < 20 && shared < 0; round++) {
                for (int i = 0; i < 50; i++) {
                    alice.send(WsClient.message(c, uuid(), "burst", "b" + i));
                }
                Map<Long, List<String>> byTs = new HashMap<>();
                for (int i = 0; i < 50; i++) {
                    JsonNode ack = alice.expect("message:ack");
                    byTs.computeIfAbsent(ack.get("ts").asLong(), k -> new ArrayList<>()).add(ack.get("message_id").asText());
                }
                for (Map.Entry<Long, List<String>> e : byTs.entrySet()) {
                    if (e.getValue().size() >= 2) {
                        shared = e.getKey();
                        sharing = e.getValue();
                        break;
                    }
                }
            }
            assertThat(shared).as("two messages sharing a millisecond").isPositive();
            bob.send(json("type", "sync", "ref", "y1", "since_ts", shared, "limit", 1000));
            JsonNode result = bob.expect("sync:result");
            assertThat(result.get("messages").findValuesAsText("message_id")).containsAll(sharing);
            for (JsonNode m : result.get("messages")) {
                assertThat(m.get("ts").asLong()).isGreaterThanOrEqualTo(shared);
            }
        }
    }

    @Test
    void cursorsReturnExactlyTheMessagesAfterEachCursorOrderedByConversationThenSeq() {
        String c1 = server.createConversation("alice", "bob");
        String c2 = server.createConversation("alice", "bob");
        try (WsClient alice = WsClient.authed(server, "alice"); WsClient bob = WsClient.authed(server, "bob")) {
            for (int i = 1; i <= 5; i++) {
                alice.sendMessage(c1, uuid(), "c1-" + i);
                alice.sendMessage(c2, uuid(), "c2-" + i);
            }
            bob.send(json("type", "sync", "ref", "y1", "cursors", json(c2, 3, c1, 1)));
            JsonNode result = bob.expect("sync:result");
            assertThat(result.get("ref").asText()).isEqualTo("y1");
            assertThat(result.get("has_more").asBoolean()).isFalse();
            assertThat(result.get("next_cursor").isNull()).isTrue();
            List<String> got = new ArrayList<>();
            result.get("messages").forEach(m -> got.add(m.get("conversation_id").asText() + "#" + m.get("seq").asLong()));
            List<String> expected = new ArrayList<>();
            String first = c1.compareTo(c2) < 0 ? c1 : c2;
            String second = first.equals(c1) ? c2 : c1;
            for (String c : List.of(first, second)) {
                for (int seq = (c.equals(c1) ? 2 : 4); seq <= 5; seq++) {
                    expected.add(c + "#" + seq);
                }
            }
            assertThat(got).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void pagesThroughHasMoreWithNextCursorWithoutRepeatsOrGaps() {
        String c1 = server.createConversation("alice", "bob");
        String c2 = server.createConversation("alice", "bob");
        long since = System.currentTimeMillis();
        try (WsClient alice = WsClient.authed(server, "alice"); WsClient bob = WsClient.authed(server, "bob")) {
            for (int i = 0; i < 25; i++) {
                alice.sendMessage(i % 2 == 0 ? c1 : c2, uuid(), "m" + i);
            }
            for (JsonNode first : List.of(json("type", "sync", "ref", "y", "since_ts", since, "limit", 7),
                    json("type", "sync", "ref", "y", "cursors", json(c1, 0, c2, 0), "limit", 7))) {
                Set<String> seen = new HashSet<>();
                List<String> order = new ArrayList<>();
                bob.send(first);
                int pages = 0;
                while (true) {
                    JsonNode page = bob.expect("sync:result");
                    pages++;
                    assertThat(page.get("messages").size()).isLessThanOrEqualTo(7);
                    for (JsonNode m : page.get("messages")) {
                        assertThat(seen.add(m.get("message_id").asText())).as("no repeats").isTrue();
                        order.add(m.get("conversation_id").asText() + "#" + String.format("%05d", m.get("seq").asLong()));
                    }
                    if (!page.get("has_more").asBoolean()) {
                        assertThat(page.get("next_cursor").isNull()).isTrue();
                        break;
                    }
                    bob.send(json("type", "sync", "ref", "y", "cursor", page.get("next_cursor").asText(), "limit", 7));
                }
                assertThat(seen).hasSize(25);
                assertThat(pages).isEqualTo(4);
                assertThat(order).isSorted();
            }
        }
    }

    @Test
    void aMessageCommittedDuringASyncIsInTheResultOrDeliveredLive() throws Exception {
        String c = server.createConversation("alice", "bob");
        int total = 300;
        try (WsClient alice = WsClient.authed(server, "alice"); WsClient bob = WsClient.authed(server, "bob")) {
            CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < total; i++) {
                    alice.send(WsClient.message(c, uuid(), "m" + i, "r" + i));
                }
            });
            bob.send(json("type", "subscribe", "ref", "s1", "conversation_ids", dev.parley.server.testing.Json.array(c)));
            bob.send(json("type", "sync", "ref", "y1", "cursors", json(c, 0), "limit", 1000));
            sending.get();
            for (int i = 0; i < total; i++) {
                alice.expect("message:ack");
            }
            Set<Long> seqs = new HashSet<>();
            Set<String> replies = new HashSet<>();
            while (seqs.size() < total || replies.size() < 2) {
                JsonNode frame = bob.next();
                switch (frame.get("type").asText()) {
                    case "subscribed" -> replies.add("subscribed"); // live messages may come before it
                    case "sync:result" -> {
                        replies.add("sync:result");
                        frame.get("messages").forEach(m -> seqs.add(m.get("seq").asLong()));
                    }
                    case "message:new" -> seqs.add(frame.get("message").get("seq").asLong());
                    default -> throw new AssertionError("unexpected " + frame);
                }
            }
            assertThat(seqs).hasSize(total);
        }
    }

    @Test
    void malformedCursorOrForeignConversationIsRejected() {
        String theirs = server.createConversation("carol", "dave");
        try (WsClient bob = WsClient.authed(server, "bob")) {
            bob.send(json("type", "sync", "ref", "y1", "cursor", "garbage"));
            assertThat(bob.expect("error").get("code").asText()).isEqualTo("bad_request");
            bob.send(json("type", "sync", "ref", "y2", "cursors", json(theirs, 0)));
            JsonNode error = bob.expect("error");
            assertThat(error.get("code").asText()).isEqualTo("forbidden");
            assertThat(error.get("conversation_ids").get(0).asText()).isEqualTo(theirs);
            bob.send(json("type", "sync", "ref", "y3", "since_ts", 0, "limit", 5000));
            assertThat(bob.expect("error").get("code").asText()).isEqualTo("bad_request");
        }
    }
}
