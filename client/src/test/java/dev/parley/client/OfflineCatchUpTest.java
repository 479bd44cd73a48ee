package dev.parley.client;

import static dev.parley.client.testing.Clients.WAIT;
import static dev.parley.client.testing.Clients.awaitConnected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.client.testing.Clients;
import dev.parley.client.testing.FaultyProxy;
import dev.parley.client.testing.Recorder;
import dev.parley.protocol.Receipt;
import dev.parley.protocol.ReceiptStatus;
import dev.parley.protocol.ServerFrame;
import dev.parley.server.testing.TestServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Acceptance (c) and (d): what happened while a user was offline reaches them when they come back. */
class OfflineCatchUpTest {
    @TempDir
    Path dir;
    TestServer server;
    FaultyProxy net;
    Clients clients;
    final Recorder alice = new Recorder();
    final Recorder bob = new Recorder();
    String conv;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start(dir.resolve("server"), b -> b.heartbeatMs(Clients.HEARTBEAT.toMillis()));
        net = FaultyProxy.start(server.port());
        clients = new Clients(server);
        conv = Clients.conversation(server, "alice", "bob");
    }

    @AfterEach
    void stop() throws Exception {
        assertThat(alice.errors).as("errors alice's listener saw").isEmpty();
        assertThat(bob.errors).as("errors bob's listener saw").isEmpty();
        assertThat(alice.overlapped || bob.overlapped).as("listener called concurrently").isFalse();
        clients.close();
        net.close();
        server.close();
    }

    private void goOffline(Recorder who) {
        net.refuse(true);
        net.dropAll();
        await().atMost(WAIT).until(() -> !who.is(ConnectionState.Kind.CONNECTED));
    }

    @Test
    void bobGetsEverythingSentAroundAServerRestartWhileHeWasOffline() throws Exception {
        ParleyClient a = clients.start("alice", server.wsUrl(), alice);
        ParleyClient b = clients.start("bob", net.wsUrl(), bob);
        a.subscribe(List.of(conv));
        b.subscribe(List.of(conv));
        awaitConnected(alice, bob);
        a.send(conv, "one").join();
        await().atMost(WAIT).until(() -> bob.bodies(conv).contains("one"));

        goOffline(bob);
        CompletableFuture<ServerFrame.Ack> two = a.send(conv, "two");
        CompletableFuture<ServerFrame.Ack> three = a.send(conv, "three");
        CompletableFuture.allOf(two, three).join();
        server.restart();
        CompletableFuture<ServerFrame.Ack> four = a.send(conv, "four");
        CompletableFuture<ServerFrame.Ack> five = a.send(conv, "five");
        CompletableFuture.allOf(four, five).orTimeout(30, java.util.concurrent.TimeUnit.SECONDS).join();

        net.refuse(false);
        b.reconnectNow();
        awaitConnected(bob);
        a.send(conv, "fence");
        await().atMost(WAIT).until(() -> bob.bodies(conv).contains("fence"));
        assertThat(bob.bodies(conv)).containsExactly("one", "two", "three", "four", "five", "fence");
        assertThat(bob.messages.stream().map(m -> m.seq).collect(Collectors.toList())).isSorted();
    }

    @Test
    void receiptsMadeWhileAliceWasDisconnectedReachHerAfterSheReconnects() {
        ParleyClient a = clients.start("alice", net.wsUrl(), alice);
        ParleyClient b = clients.start("bob", server.wsUrl(), bob);
        a.subscribe(List.of(conv));
        b.subscribe(List.of(conv));
        awaitConnected(alice, bob);
        for (String body : List.of("x", "y", "z")) {
            a.send(conv, body).join();
        }
        await().atMost(WAIT).until(() -> bob.messages.size() == 3);
        await().atMost(WAIT).until(() -> count(alice.receipts, ReceiptStatus.DELIVERED) == 3); // automatic, live

        goOffline(alice);
        List<String> ids = bob.messages.stream().map(m -> m.messageId).collect(Collectors.toList());
        b.markRead(conv, ids).join(); // stored by the server while alice cannot hear it
        // Stay away longer than the SDK's 5 s since-margin, so a sync that started from the reconnect time
        // instead of from the last time alice was in sync would miss these receipts.
        long readAt = System.nanoTime();
        await().atMost(WAIT).until(() -> System.nanoTime() - readAt > java.time.Duration.ofSeconds(6).toNanos());
        net.refuse(false);
        a.reconnectNow();

        await().atMost(WAIT).until(() -> count(alice.receipts, ReceiptStatus.READ) == 3);
        awaitConnected(alice);
        Set<String> readIds = alice.receipts.stream().filter(r -> r.status == ReceiptStatus.READ)
                .map(r -> r.messageId).collect(Collectors.toSet());
        assertThat(readIds).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(alice.receipts).allSatisfy(r -> assertThat(r.userId).isEqualTo("bob"));
        // Fence: a new round trip, then no receipt may have arrived twice.
        a.send(conv, "fence").join();
        await().atMost(WAIT).until(() -> count(alice.receipts, ReceiptStatus.DELIVERED) == 4);
        assertThat(alice.receipts.stream().map(r -> r.messageId + r.status).collect(Collectors.toList()))
                .doesNotHaveDuplicates().hasSize(7);
    }

    @Test
    void aRestartedAppResumesFromItsFileStoreWithoutRepeatsOrGaps() {
        Path bobStore = dir.resolve("bob-store");
        ParleyClient a = clients.start("alice", server.wsUrl(), alice);
        ParleyClient b = clients.start("bob", server.wsUrl(), bob, x -> x.store(new FileClientStore(bobStore)));
        a.subscribe(List.of(conv));
        b.subscribe(List.of(conv));
        awaitConnected(alice, bob);
        a.send(conv, "seen").join();
        await().atMost(WAIT).until(() -> bob.bodies(conv).contains("seen"));
        b.close();
        await().atMost(WAIT).until(() -> bob.is(ConnectionState.Kind.CLOSED));

        a.send(conv, "missed1").join();
        a.send(conv, "missed2").join();
        Recorder bob2 = new Recorder();
        ParleyClient b2 = clients.start("bob", server.wsUrl(), bob2, x -> x.store(new FileClientStore(bobStore)));
        b2.subscribe(List.of(conv));
        awaitConnected(bob2);
        a.send(conv, "live");
        await().atMost(WAIT).until(() -> bob2.bodies(conv).contains("live"));
        assertThat(bob2.bodies(conv)).containsExactly("missed1", "missed2", "live");
    }

    @Test
    void aConversationFollowedForTheFirstTimeIsFilledFromWhenTheClientWasLastInSync() {
        ParleyClient a = clients.start("alice", server.wsUrl(), alice);
        ParleyClient b = clients.start("bob", server.wsUrl(), bob);
        b.subscribe(List.of(conv)).join(); // bob has been in sync since now
        awaitConnected(alice, bob);
        String later = Clients.conversation(server, "alice", "bob");
        a.send(later, "sent before bob followed it 1").join();
        a.send(later, "sent before bob followed it 2").join();

        b.subscribe(List.of(later)).join(); // no cursor for it: since_ts from bob's last sync
        a.send(later, "live");
        await().atMost(WAIT).until(() -> bob.bodies(later).contains("live"));
        assertThat(bob.bodies(later))
                .containsExactly("sent before bob followed it 1", "sent before bob followed it 2", "live");
    }

    private static long count(List<Receipt> receipts, ReceiptStatus status) {
        return receipts.stream().filter(r -> r.status == status).count();
    }
}
