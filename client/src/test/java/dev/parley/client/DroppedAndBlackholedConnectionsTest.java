package dev.parley.client;

import static dev.parley.client.testing.Clients.WAIT;
import static dev.parley.client.testing.Clients.awaitConnected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.client.testing.Clients;
import dev.parley.client.testing.FaultyProxy;
import dev.parley.client.testing.Recorder;
import dev.parley.protocol.ServerFrame;
import dev.parley.server.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Acceptance (a) and (b): connections that drop or go silent lose nothing and duplicate nothing. */
class DroppedAndBlackholedConnectionsTest {
    @TempDir
    Path dir;
    TestServer server;
    FaultyProxy aliceNet;
    FaultyProxy bobNet;
    Clients clients;
    final Recorder alice = new Recorder();
    final Recorder bob = new Recorder();
    String conv;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start(dir, b -> b.heartbeatMs(Clients.HEARTBEAT.toMillis()));
        aliceNet = FaultyProxy.start(server.port());
        bobNet = FaultyProxy.start(server.port());
        clients = new Clients(server);
        conv = Clients.conversation(server, "alice", "bob");
    }

    @AfterEach
    void stop() throws Exception {
        assertThat(alice.errors).as("errors alice's listener saw").isEmpty();
        assertThat(bob.errors).as("errors bob's listener saw").isEmpty();
        assertThat(alice.overlapped || bob.overlapped).as("listener called concurrently").isFalse();
        clients.close();
        aliceNet.close();
        bobNet.close();
        server.close();
    }

    @Test
    void fiftyMessagesSentAcrossDroppedConnectionsReachBobOnceAndInOrder() {
        aliceNet.latency(Duration.ofMillis(20)); // keeps sends in flight when the drops hit
        ParleyClient a = clients.start("alice", aliceNet.wsUrl(), alice);
        ParleyClient b = clients.start("bob", bobNet.wsUrl(), bob);
        a.subscribe(List.of(conv));
        b.subscribe(List.of(conv));
        awaitConnected(alice, bob);

        List<CompletableFuture<ServerFrame.Ack>> acks = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            acks.add(a.send(conv, "m" + i));
        }
        await().atMost(WAIT).until(() -> alice.sent.size() >= 3);
        aliceNet.dropAll();
        bobNet.dropAll();
        for (int i = 25; i < 50; i++) {
            acks.add(a.send(conv, "m" + i));
        }
        await().atMost(WAIT).until(() -> alice.sent.size() >= 30);
        aliceNet.dropAll();
        bobNet.dropAll();

        CompletableFuture.allOf(acks.toArray(new CompletableFuture[0])).orTimeout(30, java.util.concurrent.TimeUnit.SECONDS).join();
        List<ServerFrame.Ack> done = acks.stream().map(CompletableFuture::join).collect(Collectors.toList());
        assertThat(done.stream().map(ack -> ack.messageId).collect(Collectors.toSet())).hasSize(50);
        assertThat(done.stream().map(ack -> ack.seq).collect(Collectors.toList()))
                .as("acked in the order sent").isSorted();

        a.send(conv, "fence");
        await().atMost(WAIT).until(() -> bob.bodies(conv).contains("fence"));
        List<String> expected = IntStream.range(0, 50).mapToObj(i -> "m" + i).collect(Collectors.toList());
        expected.add("fence");
        assertThat(bob.bodies(conv)).containsExactlyElementsOf(expected);
        assertThat(alice.reconnecting()).as("alice reconnected").isNotEmpty();
        assertThat(bob.reconnecting()).as("bob reconnected").isNotEmpty();
        assertThat(alice.overlapped || bob.overlapped).as("listener called concurrently").isFalse();
    }

    @Test
    void blackholedConnectionsAreDetectedByBothSidesThenTheGapIsFilled() {
        FaultyProxy net = aliceNet; // both users behind the same broken network
        ParleyClient a = clients.start("alice", net.wsUrl(), alice);
        ParleyClient b = clients.start("bob", net.wsUrl(), bob);
        a.subscribe(List.of(conv));
        b.subscribe(List.of(conv));
        awaitConnected(alice, bob);
        a.send(conv, "before").join();
        await().atMost(WAIT).until(() -> bob.bodies(conv).contains("before"));
        int tokensBefore = clients.tokensIssued.get();

        long start = System.nanoTime();
        net.blackhole(true);
        List<CompletableFuture<ServerFrame.Ack>> during = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            during.add(a.send(conv, "during" + i));
        }
        await().atMost(WAIT).until(() -> !alice.reconnecting().isEmpty() && !bob.reconnecting().isEmpty());
        long clientsDetectedMs = Duration.ofNanos(System.nanoTime() - start).toMillis();
        await().atMost(WAIT).until(() -> net.closedByServerWhileBlackholed() >= 2);
        long serverDetectedMs = Duration.ofNanos(System.nanoTime() - start).toMillis();
        long threeHeartbeats = 3 * Clients.HEARTBEAT.toMillis();
        await().atMost(WAIT).until(() -> System.nanoTime() - start >= Duration.ofMillis(threeHeartbeats).toNanos());
        net.blackhole(false);

        awaitConnected(alice, bob);
        CompletableFuture.allOf(during.toArray(new CompletableFuture[0])).orTimeout(30, java.util.concurrent.TimeUnit.SECONDS).join();
        a.send(conv, "after");
        await().atMost(WAIT).until(() -> bob.bodies(conv).contains("after"));
        assertThat(bob.bodies(conv)).containsExactly("before", "during0", "during1", "during2", "during3", "during4", "after");
        assertThat(new HashSet<>(during.stream().map(f -> f.join().messageId).collect(Collectors.toList()))).hasSize(5);
        // "about two heartbeats": ping after at most one interval, no pong within the next; slack for a busy machine.
        assertThat(clientsDetectedMs).as("clients declared the connection dead").isLessThan(4 * Clients.HEARTBEAT.toMillis());
        assertThat(serverDetectedMs).as("server closed the silent connections").isLessThan(10 * Clients.HEARTBEAT.toMillis());
        assertThat(clients.tokensIssued.get()).as("a fresh token for each reconnect").isGreaterThanOrEqualTo(tokensBefore + 2);
    }
}
