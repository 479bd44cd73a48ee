package dev.parley.client;

import static dev.parley.client.testing.Clients.WAIT;
import static dev.parley.client.testing.Clients.awaitConnected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.parley.client.testing.Clients;
import dev.parley.client.testing.FaultyProxy;
import dev.parley.client.testing.Recorder;
import dev.parley.server.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Acceptance (e): reconnect delays are full-jitter exponential and start over after a healthy period. */
class BackoffTest {
    @TempDir
    Path dir;

    @Test
    void defaultsAre500MillisDoublingUpTo30SecondsAndResetAfter30Seconds() {
        Backoff d = Backoff.defaults();
        assertThat(d.maxDelay(1)).isEqualTo(Duration.ofMillis(500));
        assertThat(d.maxDelay(2)).isEqualTo(Duration.ofMillis(1000));
        assertThat(d.maxDelay(7)).isEqualTo(Duration.ofMillis(30_000));
        assertThat(d.maxDelay(1000)).isEqualTo(Duration.ofSeconds(30));
        assertThat(d.resetAfter()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void drawnDelaysCoverTheWholeJitterRange() {
        Backoff b = Backoff.defaults();
        Random random = new Random(42);
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < 10_000; i++) {
            long ms = b.delay(3, random).toMillis();
            assertThat(ms).isBetween(0L, 2000L);
            min = Math.min(min, ms);
            max = Math.max(max, ms);
        }
        assertThat(min).isLessThan(100);
        assertThat(max).isGreaterThan(1900);
    }

    @Test
    void invalidSettingsAreRefusedWithExactMessages() {
        assertThatThrownBy(() -> Backoff.builder().base(Duration.ZERO).build()).hasMessage("base must be positive");
        assertThatThrownBy(() -> Backoff.builder().multiplier(0.5).build()).hasMessage("multiplier must be at least 1");
        assertThatThrownBy(() -> Backoff.builder().base(Duration.ofSeconds(2)).cap(Duration.ofSeconds(1)).build())
                .hasMessage("cap must be at least base");
    }

    @Test
    void reconnectDelaysStayWithinFullJitterBoundsAndResetAfterAHealthyPeriod() throws Exception {
        Backoff backoff = Backoff.builder().base(Duration.ofMillis(50)).multiplier(2).cap(Duration.ofMillis(400))
                .resetAfter(Duration.ofSeconds(1)).build();
        try (TestServer server = TestServer.start(dir, b -> b.heartbeatMs(Clients.HEARTBEAT.toMillis()));
             FaultyProxy net = FaultyProxy.start(server.port());
             Clients clients = new Clients(server)) {
            Recorder rec = new Recorder();
            ParleyClient client = clients.start("alice", net.wsUrl(), rec, b -> b.backoff(backoff));
            awaitConnected(rec);

            net.refuse(true);
            net.dropAll();
            await().atMost(WAIT).until(() -> rec.reconnecting().size() >= 7);
            net.refuse(false);
            awaitConnected(rec);
            List<ConnectionState> failing = rec.reconnecting();
            for (int i = 0; i < failing.size(); i++) {
                ConnectionState s = failing.get(i);
                assertThat(s.attempt()).as("attempts count up").isEqualTo(i + 1);
                assertThat(s.delay()).as("attempt %d", s.attempt())
                        .isBetween(Duration.ZERO, backoff.maxDelay(s.attempt()));
            }
            assertThat(failing.get(6).delay()).isLessThanOrEqualTo(Duration.ofMillis(400));

            // Dropped before the healthy period: the count goes on.
            net.dropAll();
            await().atMost(WAIT).until(() -> rec.reconnecting().size() > failing.size());
            assertThat(rec.reconnecting().get(failing.size()).attempt()).isEqualTo(failing.size() + 1);
            awaitConnected(rec);

            // Healthy for longer than resetAfter: the next drop starts again at attempt 1.
            long connectedAt = rec.states.get(rec.states.size() - 1).atNanos();
            await().atMost(WAIT).until(() -> System.nanoTime() - connectedAt > backoff.resetAfter().toNanos() + 100_000_000L);
            int before = rec.reconnecting().size();
            net.dropAll();
            await().atMost(WAIT).until(() -> rec.reconnecting().size() > before);
            ConnectionState afterReset = rec.reconnecting().get(before);
            assertThat(afterReset.attempt()).isEqualTo(1);
            assertThat(afterReset.delay()).isLessThanOrEqualTo(backoff.base());
            awaitConnected(rec);
            assertThat(client.state()).isEqualTo(ConnectionState.CONNECTED);
        }
    }

    @Test
    void reconnectNowSkipsTheWait() throws Exception {
        Backoff slow = Backoff.builder().base(Duration.ofSeconds(60)).cap(Duration.ofSeconds(60)).build();
        try (TestServer server = TestServer.start(dir);
             FaultyProxy net = FaultyProxy.start(server.port());
             Clients clients = new Clients(server)) {
            Recorder rec = new Recorder();
            ParleyClient client = clients.start("alice", net.wsUrl(), rec, b -> b.backoff(slow));
            awaitConnected(rec);
            net.dropAll();
            await().atMost(WAIT).until(() -> rec.is(ConnectionState.Kind.RECONNECTING));
            client.reconnectNow();
            awaitConnected(rec);
        }
    }
}
