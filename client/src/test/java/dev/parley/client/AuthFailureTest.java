package dev.parley.client;

import static dev.parley.client.testing.Clients.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.parley.client.testing.Recorder;
import dev.parley.server.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuthFailureTest {
    @TempDir
    Path dir;

    @Test
    void aRefusedTokenThatCannotBeRefreshedClosesTheClientAndSaysSo() throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            Recorder rec = new Recorder();
            AtomicInteger calls = new AtomicInteger();
            ParleyClient client = ParleyClient.builder()
                    .url(server.wsUrl())
                    .tokenProvider(() -> {
                        calls.incrementAndGet();
                        return "not-a-valid-jwt";
                    })
                    .listener(rec)
                    .backoff(Backoff.builder().base(Duration.ofMillis(10)).build())
                    .build();
            client.connect();
            await().atMost(WAIT).until(() -> rec.is(ConnectionState.Kind.CLOSED));
            ConnectionState closed = client.state();
            assertThat(closed.isAuthFailure()).isTrue();
            assertThat(closed.reason())
                    .isEqualTo("auth failed: the server refused the token and the token provider has no fresh one");
            assertThat(calls.get()).isEqualTo(2);
            assertThat(rec.reconnecting()).hasSize(1);
            assertThatThrownBy(() -> client.send("c1", "hi").join())
                    .isInstanceOf(CompletionException.class).hasMessageContaining("client is closed");
        }
    }

    @Test
    void aTokenProviderWithNoTokenClosesTheClientAtOnce() {
        Recorder rec = new Recorder();
        ParleyClient client = ParleyClient.builder().url("ws://127.0.0.1:9/ws").tokenProvider(() -> null)
                .listener(rec).build();
        client.connect();
        await().atMost(WAIT).until(() -> rec.is(ConnectionState.Kind.CLOSED));
        assertThat(client.state().isAuthFailure()).isTrue();
        assertThat(client.state().reason()).isEqualTo("auth failed: the token provider has no token");
    }

    @Test
    void builderRefusesMissingSettingsWithExactMessages() {
        assertThatThrownBy(() -> ParleyClient.builder().tokenProvider(() -> "t").build())
                .hasMessage("url is required");
        assertThatThrownBy(() -> ParleyClient.builder().url("ws://h/ws").build())
                .hasMessage("tokenProvider is required");
        assertThatThrownBy(() -> ParleyClient.builder().url("ftp://h").tokenProvider(() -> "t").build())
                .hasMessage("url must be a ws, wss, http or https URL: ftp://h");
    }
}
