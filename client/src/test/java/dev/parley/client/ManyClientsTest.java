package dev.parley.client;

import static dev.parley.client.testing.Clients.awaitConnected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.client.testing.Clients;
import dev.parley.client.testing.Recorder;
import dev.parley.server.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Acceptance (f): a restart makes every client reconnect at once; all come back and nothing is doubled. */
class ManyClientsTest {
    static final int CLIENTS = 100;

    @TempDir
    Path dir;

    @Test
    void hundredClientsReconnectingAtOnceAfterARestartAllSucceedWithoutDuplicates() throws Exception {
        try (TestServer server = TestServer.start(dir);
             Clients clients = new Clients(server)) {
            OkHttpClient shared = new OkHttpClient();
            List<String> convs = new ArrayList<>();
            List<Recorder> recorders = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                String user = String.format("u%03d", i);
                String conv = server.createConversation("alice", user);
                convs.add(conv);
                Recorder rec = new Recorder();
                recorders.add(rec);
                ParleyClient c = clients.start(user, server.wsUrl(), rec, b -> b
                        .okHttpClient(shared)
                        .heartbeatInterval(Duration.ofSeconds(5))
                        .handshakeTimeout(Duration.ofSeconds(10))
                        .backoff(Backoff.defaults()));
                c.subscribe(List.of(conv));
            }
            Recorder aliceRec = new Recorder();
            ParleyClient alice = clients.start("alice", server.wsUrl(), aliceRec, b -> b.backoff(Backoff.defaults()));
            awaitConnected(recorders.toArray(new Recorder[0]));
            awaitConnected(aliceRec);

            List<CompletableFuture<?>> acks = new ArrayList<>();
            for (String conv : convs) {
                acks.add(alice.send(conv, "before restart"));
            }
            CompletableFuture.allOf(acks.toArray(new CompletableFuture[0])).join();
            await().atMost(Clients.WAIT).until(() -> recorders.stream().allMatch(r -> r.messages.size() == 1));

            server.restart();
            await().atMost(Clients.WAIT).until(() -> recorders.stream().noneMatch(r -> r.reconnecting().isEmpty()));
            acks.clear();
            for (String conv : convs) {
                acks.add(alice.send(conv, "after restart"));
            }
            CompletableFuture.allOf(acks.toArray(new CompletableFuture[0]))
                    .orTimeout(60, java.util.concurrent.TimeUnit.SECONDS).join();
            awaitConnected(recorders.toArray(new Recorder[0]));
            await().atMost(Clients.WAIT).until(() -> recorders.stream().allMatch(r -> r.messages.size() >= 2));
            // Fence: one more live message each proves nothing else was still on its way.
            convs.forEach(conv -> alice.send(conv, "fence"));
            await().atMost(Clients.WAIT).until(() -> recorders.stream().allMatch(r -> r.messages.size() >= 3));
            for (int i = 0; i < CLIENTS; i++) {
                Recorder r = recorders.get(i);
                String conv = convs.get(i);
                assertThat(r.bodies(conv)).as("client %d", i)
                        .containsExactly("before restart", "after restart", "fence");
            }
        }
    }
}
