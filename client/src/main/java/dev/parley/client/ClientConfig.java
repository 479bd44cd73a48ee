package dev.parley.client;

import java.time.Duration;
import java.util.concurrent.Executor;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/** The validated, immutable settings of one client, made by {@link ParleyClient.Builder}. */
public final class ClientConfig {
    private final String url;
    private final TokenProvider tokenProvider;
    private final ParleyListener listener;
    private final Executor callbackExecutor;
    private final Backoff backoff;
    private final Duration heartbeatInterval;
    private final Duration handshakeTimeout;
    private final ClientStore store;
    private final boolean autoDelivered;
    private final int syncPageLimit;
    private final int outboxLimit;
    private final OkHttpClient okHttpClient;

    ClientConfig(ParleyClient.Builder b) {
        if (b.url == null) {
            throw new IllegalArgumentException("url is required");
        }
        String httpish = b.url.replaceFirst("(?i)^ws:", "http:").replaceFirst("(?i)^wss:", "https:");
        if (HttpUrl.parse(httpish) == null) {
            throw new IllegalArgumentException("url must be a ws, wss, http or https URL: " + b.url);
        }
        if (b.tokenProvider == null) {
            throw new IllegalArgumentException("tokenProvider is required");
        }
        if (b.heartbeatInterval.toMillis() < 10) {
            throw new IllegalArgumentException("heartbeatInterval must be at least 10 ms");
        }
        if (b.handshakeTimeout.toMillis() < 10) {
            throw new IllegalArgumentException("handshakeTimeout must be at least 10 ms");
        }
        if (b.syncPageLimit < 1 || b.syncPageLimit > 1000) {
            throw new IllegalArgumentException("syncPageLimit must be 1..1000");
        }
        if (b.outboxLimit < 1) {
            throw new IllegalArgumentException("outboxLimit must be at least 1");
        }
        this.url = httpish;
        this.tokenProvider = b.tokenProvider;
        this.listener = b.listener;
        this.callbackExecutor = b.callbackExecutor;
        this.backoff = b.backoff;
        this.heartbeatInterval = b.heartbeatInterval;
        this.handshakeTimeout = b.handshakeTimeout;
        this.store = b.store == null ? new InMemoryClientStore() : b.store;
        this.autoDelivered = b.autoDelivered;
        this.syncPageLimit = b.syncPageLimit;
        this.outboxLimit = b.outboxLimit;
        this.okHttpClient = b.okHttpClient;
    }

    /** The endpoint as an http(s) URL, the form OkHttp upgrades. */
    public String url() {
        return url;
    }

    public TokenProvider tokenProvider() {
        return tokenProvider;
    }

    public ParleyListener listener() {
        return listener;
    }

    /** Null when the client should make its own. */
    public Executor callbackExecutor() {
        return callbackExecutor;
    }

    public Backoff backoff() {
        return backoff;
    }

    public Duration heartbeatInterval() {
        return heartbeatInterval;
    }

    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    public ClientStore store() {
        return store;
    }

    public boolean autoDelivered() {
        return autoDelivered;
    }

    public int syncPageLimit() {
        return syncPageLimit;
    }

    public int outboxLimit() {
        return outboxLimit;
    }

    /** Null when the client should make its own. */
    public OkHttpClient okHttpClient() {
        return okHttpClient;
    }
}
