package dev.parley.client;

import static dev.parley.client.testing.Clients.awaitConnected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.client.testing.Clients;
import dev.parley.client.testing.Recorder;
import dev.parley.protocol.ErrorCode;
import dev.parley.server.testing.TestServer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Requests the server refuses for good fail their futures with the server's code; the client stays connected. */
class RefusalsTest {
    @TempDir
    Path dir;

    @Test
    void refusedSendsAndSubscriptionsFailWithTheServersCodeAndTheClientStaysConnected() throws Exception {
        try (TestServer server = TestServer.start(dir);
             Clients clients = new Clients(server)) {
            String mine = server.createConversation("alice", "bob");
            String theirs = server.createConversation("carol", "dave");
            Recorder rec = new Recorder();
            ParleyClient alice = clients.start("alice", server.wsUrl(), rec);
            awaitConnected(rec);

            assertThatThrownBy(() -> alice.subscribe(List.of(mine, theirs)).join())
                    .isInstanceOf(CompletionException.class)
                    .cause().isInstanceOf(ParleyException.class)
                    .satisfies(e -> assertThat(((ParleyException) e).code()).isEqualTo(ErrorCode.FORBIDDEN));
            assertThatThrownBy(() -> alice.send(theirs, "hi").join())
                    .cause().satisfies(e -> assertThat(((ParleyException) e).code()).isEqualTo(ErrorCode.FORBIDDEN));
            CompletableFuture<?> tooBig = alice.send(mine, "x".repeat(20_000));
            assertThatThrownBy(tooBig::join)
                    .cause().satisfies(e -> assertThat(((ParleyException) e).code()).isEqualTo(ErrorCode.TOO_LARGE));

            assertThat(alice.send(mine, "still fine").join().seq).isEqualTo(1);
            assertThat(alice.state()).isEqualTo(ConnectionState.CONNECTED);
            assertThat(rec.reconnecting()).isEmpty();
        }
    }

    @Test
    void argumentsAreCheckedBeforeAnythingIsQueued() {
        ParleyClient client = ParleyClient.builder().url("ws://127.0.0.1:9/ws").tokenProvider(() -> "t").build();
        assertThatThrownBy(() -> client.send("", "hi")).hasMessage("conversationId must be 1..64 characters");
        assertThatThrownBy(() -> client.send("c1", "")).hasMessage("body must not be empty");
        assertThatThrownBy(() -> client.subscribe(List.of())).hasMessage("conversationIds must not be empty");
        assertThatThrownBy(() -> client.markReadUpTo("c1", 0)).hasMessage("seq must be at least 1");
        client.close();
    }
}
