package dev.parley.server.it;

import static dev.parley.server.testing.Json.parse;
import static dev.parley.server.testing.Json.uuid;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Point 8, in process: a graceful stop acks what it accepted, refuses the rest, closes with 1001. */
class ShutdownTest {
    @TempDir
    Path dir;

    @Test
    void gracefulStopAcksEveryAcceptedSendAndClosesWith1001() {
        TestServer server = TestServer.start(dir, b -> b.sendRatePerSecond(10_000).sendBurst(10_000));
        String c = server.createConversation("alice", "bob");
        Set<String> acked = new HashSet<>();
        int unavailable = 0;
        try (WsClient alice = WsClient.authed(server, "alice")) {
            for (int i = 0; i < 500; i++) {
                alice.send(WsClient.message(c, uuid(), "m" + i, "r" + i));
            }
            Thread stopper = new Thread(server::stop);
            stopper.start();
            // Read until the server has closed the connection and every frame before the close is taken.
            while (!alice.isClosed() || !alice.drainedAfterClose()) {
                JsonNode frame = alice.poll(java.time.Duration.ofMillis(100));
                if (frame == null) {
                    continue;
                }
                if (frame.get("type").asText().equals("message:ack")) {
                    acked.add(frame.get("message_id").asText());
                } else {
                    assertThat(frame.get("code").asText()).isEqualTo("unavailable");
                    unavailable++;
                }
            }
            assertThat(alice.awaitClose()).isEqualTo(1001);
        }
        server.restart();
        try {
            JsonNode history = parse(server.get("/api/conversations/" + c + "/messages?limit=1000", server.token("alice")).body());
            Set<String> stored = new HashSet<>(history.get("messages").findValuesAsText("message_id"));
            assertThat(acked).isNotEmpty();
            assertThat(stored).containsAll(acked); // nothing acked is lost
            assertThat(acked.size() + unavailable).isLessThanOrEqualTo(500);
        } finally {
            server.close();
        }
    }
}
