package dev.parley.server.it;

import static dev.parley.server.testing.Json.uuid;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A small load in the suite (correctness, not speed): 200 connections x 50 messages, each delivered once, in order. */
class LoadTest {
    static final int PAIRS = 100;
    static final int MESSAGES = 50;

    @TempDir
    Path dir;

    @Test
    void twoHundredConnectionsSendFiftyMessagesEachAndEveryOneArrivesOnceInOrder() throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            List<WsClient> clients = new ArrayList<>();
            List<String> conversations = new ArrayList<>();
            try {
                for (int p = 0; p < PAIRS; p++) {
                    String a = "a" + p;
                    String b = "b" + p;
                    String c = server.createConversation(a, b);
                    conversations.add(c);
                    WsClient ca = WsClient.authed(server, a);
                    WsClient cb = WsClient.authed(server, b);
                    ca.subscribe(c);
                    cb.subscribe(c);
                    clients.add(ca);
                    clients.add(cb);
                }
                ExecutorService pool = Executors.newFixedThreadPool(16);
                try {
                    List<CompletableFuture<Void>> senders = new ArrayList<>();
                    for (int i = 0; i < clients.size(); i++) {
                        WsClient client = clients.get(i);
                        String c = conversations.get(i / 2);
                        String who = (i % 2 == 0 ? "a" : "b") + (i / 2);
                        senders.add(CompletableFuture.runAsync(() -> {
                            for (int m = 0; m < MESSAGES; m++) {
                                client.send(WsClient.message(c, uuid(), who + ":" + m, "r" + m));
                            }
                        }, pool));
                    }
                    CompletableFuture.allOf(senders.toArray(CompletableFuture[]::new)).get();
                } finally {
                    pool.shutdown();
                }
                for (int i = 0; i < clients.size(); i++) {
                    String peer = (i % 2 == 0 ? "b" : "a") + (i / 2);
                    assertReceivedEverythingOnceInOrder(clients.get(i), peer);
                }
            } finally {
                clients.forEach(WsClient::close);
            }
        }
    }

    /** Each client gets its 50 acks (in order) and its peer's 50 messages (once each, in send order). */
    private static void assertReceivedEverythingOnceInOrder(WsClient client, String peer) {
        int acks = 0;
        List<String> bodies = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        long lastSeq = 0;
        while (acks < MESSAGES || bodies.size() < MESSAGES) {
            JsonNode frame = client.next();
            switch (frame.get("type").asText()) {
                case "message:ack" -> assertThat(frame.get("ref").asText()).isEqualTo("r" + acks++);
                case "message:new" -> {
                    JsonNode m = frame.get("message");
                    assertThat(ids.add(m.get("message_id").asText())).as("delivered once").isTrue();
                    assertThat(m.get("seq").asLong()).isGreaterThan(lastSeq);
                    lastSeq = m.get("seq").asLong();
                    bodies.add(m.get("body").asText());
                }
                default -> throw new AssertionError("unexpected " + frame);
            }
        }
        List<String> expected = new ArrayList<>();
        for (int m = 0; m < MESSAGES; m++) {
            expected.add(peer + ":" + m);
        }
        assertThat(bodies).containsExactlyElementsOf(expected);
        client.expectNothingElse();
    }
}
