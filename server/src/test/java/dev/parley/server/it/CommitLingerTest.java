package dev.parley.server.it;

import static dev.parley.server.testing.Json.uuid;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With a commit linger the writer batches more per commit; what clients see must not change. */
class CommitLingerTest {
    @TempDir
    Path dir;

    @Test
    void lingeringCommitsStillAckEverySendInOrderAndBroadcastIt() {
        try (TestServer server = TestServer.start(dir, b -> b.commitLingerMicros(2_000))) {
            String c = server.createConversation("alice", "bob");
            try (WsClient alice = WsClient.authed(server, "alice"); WsClient bob = WsClient.authed(server, "bob")) {
                bob.subscribe(c);
                for (int i = 1; i <= 100; i++) {
                    alice.send(WsClient.message(c, uuid(), "m" + i, "r" + i));
                }
                for (int i = 1; i <= 100; i++) {
                    JsonNode ack = alice.expect("message:ack");
                    assertThat(ack.get("ref").asText()).isEqualTo("r" + i);
                    assertThat(ack.get("seq").asLong()).isEqualTo(i);
                    assertThat(bob.expect("message:new").get("message").get("body").asText()).isEqualTo("m" + i);
                }
            }
        }
    }
}
