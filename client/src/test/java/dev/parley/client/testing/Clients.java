package dev.parley.client.testing;

import static org.awaitility.Awaitility.await;

import dev.parley.client.Backoff;
import dev.parley.client.ConnectionState;
import dev.parley.client.ParleyClient;
import dev.parley.server.testing.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.awaitility.Awaitility;


/** Makes clients for tests (fast heartbeats and backoff) and closes them all at the end. */
public final class Clients implements AutoCloseable {
    public static final Duration HEARTBEAT = Duration.ofMillis(500);
    public static final Duration WAIT = Duration.ofSeconds(30);

    static {
        // Conditions are cheap to check: poll often, and not after a fixed initial delay.
        Awaitility.setDefaultPollDelay(Duration.ZERO);
        Awaitility.setDefaultPollInterval(Duration.ofMillis(10));
    }

    private final TestServer server;
    private final List<ParleyClient> made = new ArrayList<>();
    public final AtomicInteger tokensIssued = new AtomicInteger();

    public Clients(TestServer server) {
        this.server = server;
    }

    public ParleyClient start(String user, String wsUrl, Recorder recorder) {
        return start(user, wsUrl, recorder, b -> { });
    }

    public ParleyClient start(String user, String wsUrl, Recorder recorder, Consumer<ParleyClient.Builder> tweak) {
        ParleyClient.Builder b = ParleyClient.builder()
                .url(wsUrl)
                .tokenProvider(() -> {
                    tokensIssued.incrementAndGet();
                    return server.token(user);
                })
                .listener(recorder)
                .heartbeatInterval(HEARTBEAT)
                .handshakeTimeout(Duration.ofSeconds(3))
                .backoff(Backoff.builder().base(Duration.ofMillis(100)).cap(Duration.ofSeconds(1))
                        .resetAfter(Duration.ofSeconds(2)).build());
        tweak.accept(b);
        ParleyClient client = b.build();
        synchronized (made) {
            made.add(client);
        }
        client.connect();
        return client;
    }

    /**
     * {@link TestServer#createConversation}, tried up to 3 times: with a short heartbeat the server closes an
     * HTTP connection that has been silent for 2 heartbeats even while its request is still being answered
     * (a cold JVM's first SQLite write on a busy machine), and the request then fails with no response.
     */
    public static String conversation(TestServer server, String creator, String other) {
        for (int attempt = 1; ; attempt++) {
            try {
                return server.createConversation(creator, other);
            } catch (java.io.UncheckedIOException e) {
                if (attempt == 3) {
                    throw e;
                }
            }
        }
    }

    public static void awaitConnected(Recorder... recorders) {
        for (Recorder r : recorders) {
            await().atMost(WAIT).until(() -> r.is(ConnectionState.Kind.CONNECTED));
        }
    }

    @Override
    public void close() {
        synchronized (made) {
            made.forEach(ParleyClient::close);
        }
    }
}
