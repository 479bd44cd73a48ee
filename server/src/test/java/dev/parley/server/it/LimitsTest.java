package dev.parley.server.it;

import static dev.parley.server.testing.Json.array;
import static dev.parley.server.testing.Json.uuid;
import static dev.parley.server.testing.WsClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.RawWebSocket;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input of every kind gets its documented answer, and the server keeps serving everyone else. */
class LimitsTest {
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

    /** A bystander conversation that must keep working whatever the others do. */
    private static void bystandersStillChat() {
        String c = server.createConversation("erin", "frank");
        try (WsClient erin = WsClient.authed(server, "erin"); WsClient frank = WsClient.authed(server, "frank")) {
            frank.subscribe(c);
            erin.sendMessage(c, uuid(), "still here");
            assertThat(frank.expect("message:new").get("message").get("body").asText()).isEqualTo("still here");
        }
    }

    @Test
    void malformedFramesGetBadRequestAndTheConnectionStaysUsable() {
        String c = server.createConversation("alice", "bob");
        try (WsClient alice = WsClient.authed(server, "alice")) {
            alice.sendText("{not json");
            assertThat(alice.expect("error").get("code").asText()).isEqualTo("bad_request");
            alice.sendText("[1,2]");
            assertThat(alice.expect("error").get("message").asText()).isEqualTo("a frame must be a JSON object");
            alice.sendText("{\"ref\":\"x1\"}");
            JsonNode noType = alice.expect("error");
            assertThat(noType.get("ref").asText()).isEqualTo("x1");
            assertThat(noType.get("message").asText()).isEqualTo("type is required");
            alice.sendText("{\"type\":\"message:teleport\",\"ref\":\"x2\"}");
            assertThat(alice.expect("error").get("message").asText()).isEqualTo("unknown type 'message:teleport'");
            alice.sendText("{\"type\":\"message:send\",\"ref\":\"x3\",\"conversation_id\":\"" + c + "\",\"client_id\":\"k\"}");
            assertThat(alice.expect("error").get("message").asText()).isEqualTo("body is required");
            alice.sendText("{\"type\":\"message:send\",\"ref\":\"x4\",\"conversation_id\":\"" + c + "\",\"client_id\":\"k\",\"body\":42}");
            assertThat(alice.expect("error").get("message").asText()).isEqualTo("field body has the wrong type");
            alice.sendText("null");
            assertThat(alice.expect("error").get("message").asText()).isEqualTo("a frame must be a JSON object");
            alice.sendText("{\"type\":\"ping\",\"ref\":\"a\",\"ref\":\"b\"}");
            assertThat(alice.expect("error").get("message").asText()).isEqualTo("duplicate field in frame");
            // JSON escapes for a lone surrogate (a Java string holding one could not even be sent as UTF-8)
            alice.sendText("{\"type\":\"message:send\",\"ref\":\"x5\",\"conversation_id\":\"" + c
                    + "\",\"client_id\":\"" + uuid() + "\",\"body\":\"a\\u0000b\\ud800\"}");
            JsonNode surrogate = alice.expect("error");
            assertThat(surrogate.get("ref").asText()).isEqualTo("x5");
            assertThat(surrogate.get("code").asText()).isEqualTo("bad_request");
            alice.sendBinary(new byte[] {1, 2, 3});
            assertThat(alice.expect("error").get("code").asText()).isEqualTo("bad_request");
            assertThat(alice.sendMessage(c, uuid(), "fine").get("seq").asLong()).isEqualTo(1);
        }
        bystandersStillChat();
    }

    @Test
    void frameOver64KiBClosesWith1009() {
        try (WsClient alice = WsClient.authed(server, "alice")) {
            alice.sendText("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(70 * 1024) + "\"}");
            assertThat(alice.awaitClose()).isEqualTo(1009);
        }
        bystandersStillChat();
    }

    @Test
    void fragmentsAddingUpToOver64KiBCloseWith1009() {
        try (WsClient alice = WsClient.authed(server, "alice")) {
            String part = "x".repeat(20 * 1024);
            alice.sendFragments("{\"type\":\"ping\",\"pad\":\"", part, part, part, part, "\"}");
            assertThat(alice.awaitClose()).isEqualTo(1009);
        }
        bystandersStillChat();
    }

    @Test
    void moreThanFiftyBadFramesInAMinuteCloseWith4008() {
        try (WsClient mallory = WsClient.authed(server, "mallory")) {
            for (int i = 0; i < 51; i++) {
                mallory.sendText("garbage " + i);
            }
            for (int i = 0; i < 51; i++) {
                assertThat(mallory.expect("error").get("code").asText()).isEqualTo("bad_request");
            }
            assertThat(mallory.awaitClose()).isEqualTo(4008);
        }
        bystandersStillChat();
    }

    @Test
    void threeHundredSendsInOneSecondAreRateLimitedPastTheBucket() {
        String c = server.createConversation("alice", "bob");
        try (WsClient alice = WsClient.authed(server, "alice")) {
            for (int i = 0; i < 300; i++) {
                alice.send(WsClient.message(c, uuid(), "flood " + i, "f" + i));
            }
            int acked = 0;
            int limited = 0;
            for (int i = 0; i < 300; i++) {
                JsonNode reply = alice.next();
                assertThat(reply.get("ref").asText()).isEqualTo("f" + i);
                if (reply.get("type").asText().equals("message:ack")) {
                    acked++;
                } else {
                    assertThat(reply.get("code").asText()).isEqualTo("rate_limited");
                    assertThat(reply.get("retry_after_ms").asLong()).isPositive();
                    limited++;
                }
            }
            assertThat(acked).isGreaterThanOrEqualTo(200); // the burst
            assertThat(limited).isPositive();
            assertThat(acked + limited).isEqualTo(300);
            JsonNode history = dev.parley.server.testing.Json.parse(
                    server.get("/api/conversations/" + c + "/messages?limit=1000", server.token("alice")).body());
            assertThat(history.get("messages")).hasSize(acked); // exactly the acked ones were stored
        }
        bystandersStillChat();
    }

    @Test
    void slowConsumerIsClosedWith4009AndOthersLoseNothing() throws Exception {
        try (TestServer small = TestServer.start(dir.resolve("slow"), b -> b
                .outboundMaxFrames(64).outboundMaxBytes(128 * 1024).sendRatePerSecond(10_000).sendBurst(10_000))) {
            String c = small.createConversation("alice", "bob", "carol");
            try (RawWebSocket bob = new RawWebSocket(small.port(), 4096);
                 WsClient carol = WsClient.authed(small, "carol");
                 WsClient alice = WsClient.authed(small, "alice")) {
                bob.sendText(json("type", "auth", "token", small.token("bob")).toString());
                bob.sendText(json("type", "subscribe", "ref", "s1", "conversation_ids", array(c)).toString());
                carol.subscribe(c);
                await().atMost(Duration.ofSeconds(20)).until(() -> small.server().sessions().size() == 3
                        && small.get("/metrics", null).body().contains("parley_connections 3.0"));
                String body = "y".repeat(16_000);
                int sent = 0;
                while (!small.get("/metrics", null).body().contains("parley_slow_consumers_dropped_total 1.0") && sent < 5000) {
                    for (int i = 0; i < 50; i++, sent++) {
                        alice.send(WsClient.message(c, uuid(), body, "m" + sent));
                    }
                    for (int i = 0; i < 50; i++) {
                        alice.expect("message:ack");
                    }
                    for (int i = 0; i < 50; i++) {
                        carol.expect("message:new");
                    }
                }
                assertThat(small.get("/metrics", null).body()).contains("parley_slow_consumers_dropped_total 1.0");
                assertThat(bob.readUntilClosed()).isTrue();
                await().atMost(Duration.ofSeconds(20)).until(() -> small.server().sessions().size() == 2);
                assertThat(List.of(alice.isClosed(), carol.isClosed())).containsOnly(false);
            }
        }
    }

    @Test
    void aFloodOfPipelinedRequestsIsAnsweredInOrderWithABoundedBacklog() throws Exception {
        int requests = 10_000;
        try (WsClient alice = WsClient.authed(server, "alice")) {
            java.util.concurrent.atomic.AtomicInteger maxPending = new java.util.concurrent.atomic.AtomicInteger();
            java.util.concurrent.CompletableFuture<Void> flood = java.util.concurrent.CompletableFuture.runAsync(() -> {
                for (int i = 0; i < requests; i++) {
                    alice.send(json("type", "sync", "ref", "y" + i, "since_ts", 0, "limit", 1));
                }
            });
            while (!flood.isDone()) {
                server.server().sessions().all().forEach(s -> maxPending.accumulateAndGet(s.pendingRequests(), Math::max));
                Thread.onSpinWait();
            }
            flood.get();
            for (int i = 0; i < requests; i++) {
                JsonNode reply = alice.expect("sync:result");
                assertThat(reply.get("ref").asText()).isEqualTo("y" + i);
            }
            // The bound, plus what one socket read (at most 64 KiB) had already brought in when reading stopped.
            String frame = json("type", "sync", "ref", "y" + requests, "since_ts", 0, "limit", 1).toString();
            int perRead = 65_536 / (frame.length() + 6);
            assertThat(maxPending.get()).isLessThanOrEqualTo(dev.parley.server.session.Session.MAX_PENDING_REQUESTS + perRead);
        }
        bystandersStillChat();
    }
}
