package dev.parley.server.it;

import static dev.parley.server.testing.WsClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.RawWebSocket;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Point 6: pings, app-level ping/pong, and silent connections dropped after two heartbeats. */
class HeartbeatTest {
    static final long HEARTBEAT_MS = 500;
    @TempDir
    static Path dir;
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(dir, b -> b.heartbeatMs(HEARTBEAT_MS));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void serverPingsAndAClientThatAnswersStaysConnected() {
        try (WsClient alice = WsClient.authed(server, "alice")) {
            await().atMost(Duration.ofSeconds(20)).until(() -> alice.pingsReceived() >= 5);
            assertThat(alice.isClosed()).isFalse(); // five heartbeats in, the JDK's automatic pongs kept it alive
            alice.expectNothingElse();
        }
    }

    @Test
    void appLevelPingGetsPongWithServerTime() {
        try (WsClient alice = WsClient.authed(server, "alice")) {
            long before = System.currentTimeMillis();
            alice.send(json("type", "ping", "ref", "p1"));
            JsonNode pong = alice.expect("pong");
            assertThat(pong.get("ref").asText()).isEqualTo("p1");
            assertThat(pong.get("server_time").asLong()).isGreaterThanOrEqualTo(before);
        }
    }

    @Test
    void silentClientIsDroppedAfterTwoHeartbeatsAndItsResourcesFreed() throws Exception {
        try (RawWebSocket silent = new RawWebSocket(server.port(), 0)) {
            long started = System.nanoTime();
            silent.sendText(json("type", "auth", "token", server.token("ghost")).toString());
            assertThat(silent.readUntilClosed()).isTrue(); // reads pings but never answers: the server hangs up
            long silentMs = (System.nanoTime() - started) / 1_000_000;
            assertThat(silentMs).isGreaterThanOrEqualTo(2 * HEARTBEAT_MS - 100);
            await().atMost(Duration.ofSeconds(20)).until(() -> server.server().sessions().all().stream()
                    .noneMatch(s -> "ghost".equals(s.userId())));
        }
    }
}
