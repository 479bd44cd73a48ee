package dev.parley.client;

import dev.parley.client.internal.RealParleyClient;
import dev.parley.protocol.ServerFrame;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import okhttp3.OkHttpClient;

/**
 * A connection to a Parley server that survives network trouble: it reconnects with backoff, re-authenticates,
 * re-subscribes, resends unacknowledged messages with their original client_id and fills the gap, so the
 * listener sees every message exactly once, in order. Thread-safe; no method blocks.
 *
 * <pre>{@code
 * ParleyClient client = ParleyClient.builder()
 *     .url("wss://chat.example.com/ws")
 *     .tokenProvider(auth::freshToken)
 *     .listener(myListener)
 *     .build();
 * client.connect();
 * client.subscribe(List.of("c1"));
 * client.send("c1", "hello").thenAccept(ack -> ...);
 * }</pre>
 */
public interface ParleyClient extends AutoCloseable {

    static Builder builder() {
        return new Builder();
    }

    /** Starts connecting; reconnects by itself until {@link #close()} or a permanent auth failure. */
    void connect();

    /** The current state; the listener is told of every change. Before {@link #connect()}: CLOSED "not connected yet". */
    ConnectionState state();

    /** The user id the server bound the connection to, or null before the first successful auth. */
    String userId();

    /**
     * Adds conversations to follow, now and after every reconnect. Completes when the server has subscribed them
     * (it waits for a connection); fails with {@link ParleyException} (forbidden) if any is not the user's. The
     * refused ids are dropped, the others stay subscribed.
     */
    CompletableFuture<Void> subscribe(Collection<String> conversationIds);

    /** Stops following conversations. */
    CompletableFuture<Void> unsubscribe(Collection<String> conversationIds);

    /**
     * Queues a message in the outbox (with a new UUID client_id) and sends it as soon as the client is
     * connected; it is resent after every reconnect until acknowledged. The future completes with the server's
     * ack, or fails with {@link ParleyException} for a refusal that retrying cannot fix (forbidden, too_large, ...),
     * or with IllegalStateException when the outbox is full or the client is closed.
     */
    CompletableFuture<ServerFrame.Ack> send(String conversationId, String body);

    /** Marks messages delivered; queued while offline. Completes when the server has stored the receipts. */
    CompletableFuture<Void> markDelivered(String conversationId, List<String> messageIds);

    /** Marks messages read (read implies delivered); queued while offline. */
    CompletableFuture<Void> markRead(String conversationId, List<String> messageIds);

    /** Marks every message of the conversation up to {@code seq} read. */
    CompletableFuture<Void> markReadUpTo(String conversationId, long seq);

    /**
     * Call when the network changed or the app came to the foreground: a waiting reconnect happens now, and a
     * live connection is checked at once with a ping.
     */
    void reconnectNow();

    /** Closes the connection for good. Unacknowledged sends stay in the store; their futures fail. */
    @Override
    void close();

    /** Settings for a client. Everything but the URL and the token provider has a default. */
    final class Builder {
        String url;
        TokenProvider tokenProvider;
        ParleyListener listener = new ParleyListener() { };
        Executor callbackExecutor;
        Backoff backoff = Backoff.defaults();
        Duration heartbeatInterval = Duration.ofSeconds(25);
        Duration handshakeTimeout = Duration.ofSeconds(10);
        ClientStore store;
        boolean autoDelivered = true;
        int syncPageLimit = 500;
        int outboxLimit = 10_000;
        OkHttpClient okHttpClient;

        Builder() {
        }

        /** The WebSocket endpoint, e.g. {@code wss://host/ws} ({@code http(s)://} works too). */
        public Builder url(String url) {
            this.url = Objects.requireNonNull(url, "url");
            return this;
        }

        public Builder tokenProvider(TokenProvider tokenProvider) {
            this.tokenProvider = Objects.requireNonNull(tokenProvider, "tokenProvider");
            return this;
        }

        public Builder listener(ParleyListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Where listener calls and future completions run (Android: the main thread's executor). They run one at
         * a time whatever the executor. Default: one daemon thread per client.
         */
        public Builder callbackExecutor(Executor executor) {
            this.callbackExecutor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        public Builder backoff(Backoff backoff) {
            this.backoff = Objects.requireNonNull(backoff, "backoff");
            return this;
        }

        /**
         * How often the client pings (WebSocket ping and protocol ping); a connection that does not answer within
         * one more interval is declared dead. Default 25 s, the server's default heartbeat.
         */
        public Builder heartbeatInterval(Duration interval) {
            this.heartbeatInterval = Objects.requireNonNull(interval, "interval");
            return this;
        }

        /** How long a connection attempt may take from TCP connect to auth:ok. Default 10 s. */
        public Builder handshakeTimeout(Duration timeout) {
            this.handshakeTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** Outbox and cursors; default {@link InMemoryClientStore}. */
        public Builder store(ClientStore store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /** Send message:delivered for messages the listener was given. Default true. */
        public Builder autoDelivered(boolean autoDelivered) {
            this.autoDelivered = autoDelivered;
            return this;
        }

        /** Messages per sync page, 1..1000. Default 500. */
        public Builder syncPageLimit(int limit) {
            this.syncPageLimit = limit;
            return this;
        }

        /** Most unacknowledged sends kept; further sends fail at once. Default 10000. */
        public Builder outboxLimit(int limit) {
            this.outboxLimit = limit;
            return this;
        }

        /** Share an app's OkHttpClient (its dispatcher and connection pool); the client derives its own settings. */
        public Builder okHttpClient(OkHttpClient client) {
            this.okHttpClient = Objects.requireNonNull(client, "client");
            return this;
        }

        public ParleyClient build() {
            return new RealParleyClient(new ClientConfig(this));
        }
    }
}
