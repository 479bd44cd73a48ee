package dev.parley.server.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/** Immutable server configuration, made by {@link Builder} and validated when built. */
public final class ServerConfig {
    public enum Durability { FULL, NORMAL }

    private final String host;
    private final int port;
    private final Path dataDir;
    private final String jwtSecret;
    private final Path jwtPublicKey;
    private final boolean devMode;
    private final long heartbeatMs;
    private final long authTimeoutMs;
    private final int maxFrameBytes;
    private final int maxBodyBytes;
    private final double sendRatePerSecond;
    private final int sendBurst;
    private final int maxBadFramesPerMinute;
    private final long outboundMaxBytes;
    private final int outboundMaxFrames;
    private final Duration shutdownGrace;
    private final Durability durability;
    private final int writeQueueCapacity;
    private final long commitLingerMicros;
    private final String logLevel;

    private ServerConfig(Builder b) {
        this.host = Objects.requireNonNull(b.host, "host");
        this.port = b.port;
        this.dataDir = Objects.requireNonNull(b.dataDir, "dataDir");
        this.jwtSecret = b.jwtSecret;
        this.jwtPublicKey = b.jwtPublicKey;
        this.devMode = b.devMode;
        this.heartbeatMs = b.heartbeatMs;
        this.authTimeoutMs = b.authTimeoutMs;
        this.maxFrameBytes = b.maxFrameBytes;
        this.maxBodyBytes = b.maxBodyBytes;
        this.sendRatePerSecond = b.sendRatePerSecond;
        this.sendBurst = b.sendBurst;
        this.maxBadFramesPerMinute = b.maxBadFramesPerMinute;
        this.outboundMaxBytes = b.outboundMaxBytes;
        this.outboundMaxFrames = b.outboundMaxFrames;
        this.shutdownGrace = Objects.requireNonNull(b.shutdownGrace, "shutdownGrace");
        this.durability = Objects.requireNonNull(b.durability, "durability");
        this.writeQueueCapacity = b.writeQueueCapacity;
        this.commitLingerMicros = b.commitLingerMicros;
        this.logLevel = b.logLevel;
        check(port >= 0 && port <= 65535, "port must be 0..65535");
        check(heartbeatMs >= 50, "heartbeat_ms must be at least 50");
        check(authTimeoutMs >= 10, "auth_timeout_ms must be at least 10");
        check(maxFrameBytes >= 1024, "max_frame_bytes must be at least 1024");
        check(maxBodyBytes >= 1 && maxBodyBytes < maxFrameBytes, "max_body_bytes must be 1..max_frame_bytes");
        check(sendRatePerSecond > 0 && sendBurst >= 1, "send rate and burst must be positive");
        check(outboundMaxBytes >= maxFrameBytes && outboundMaxFrames >= 16, "outbound bounds are too small");
        check(writeQueueCapacity >= 16, "write_queue_capacity must be at least 16");
        check(commitLingerMicros >= 0 && commitLingerMicros <= 100_000, "commit linger must be 0..100000 µs");
        check(devMode || jwtSecret != null || jwtPublicKey != null,
                "no JWT key: set PARLEY_JWT_SECRET / --jwt-secret or --jwt-public-key, or run with --dev");
        check(jwtSecret == null || jwtSecret.getBytes(java.nio.charset.StandardCharsets.UTF_8).length >= 32,
                "the JWT secret must be at least 32 bytes for HS256");
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().host(host).port(port).dataDir(dataDir).jwtSecret(jwtSecret).jwtPublicKey(jwtPublicKey)
                .devMode(devMode).heartbeatMs(heartbeatMs).authTimeoutMs(authTimeoutMs).maxFrameBytes(maxFrameBytes)
                .maxBodyBytes(maxBodyBytes).sendRatePerSecond(sendRatePerSecond).sendBurst(sendBurst)
                .maxBadFramesPerMinute(maxBadFramesPerMinute).outboundMaxBytes(outboundMaxBytes)
                .outboundMaxFrames(outboundMaxFrames).shutdownGrace(shutdownGrace).durability(durability)
                .writeQueueCapacity(writeQueueCapacity).commitLingerMicros(commitLingerMicros).logLevel(logLevel);
    }

    public String host() { return host; }
    public int port() { return port; }
    public Path dataDir() { return dataDir; }
    /** HS256 secret, or null when only a public key (or the dev secret) is used. */
    public String jwtSecret() { return jwtSecret; }
    /** PEM file with an RSA or EC public key for RS256/ES256 tokens, or null. */
    public Path jwtPublicKey() { return jwtPublicKey; }
    public boolean devMode() { return devMode; }
    public long heartbeatMs() { return heartbeatMs; }
    public long authTimeoutMs() { return authTimeoutMs; }
    public int maxFrameBytes() { return maxFrameBytes; }
    public int maxBodyBytes() { return maxBodyBytes; }
    public double sendRatePerSecond() { return sendRatePerSecond; }
    public int sendBurst() { return sendBurst; }
    public int maxBadFramesPerMinute() { return maxBadFramesPerMinute; }
    public long outboundMaxBytes() { return outboundMaxBytes; }
    public int outboundMaxFrames() { return outboundMaxFrames; }
    public Duration shutdownGrace() { return shutdownGrace; }
    public Durability durability() { return durability; }
    public int writeQueueCapacity() { return writeQueueCapacity; }
    /** How long the writer waits after the first write of a batch for more to join it; 0 = commit at once. */
    public long commitLingerMicros() { return commitLingerMicros; }
    public String logLevel() { return logLevel; }

    public static final class Builder {
        private String host = "0.0.0.0";
        private int port = 8080;
        private Path dataDir = Path.of("data");
        private String jwtSecret;
        private Path jwtPublicKey;
        private boolean devMode;
        private long heartbeatMs = 25_000;
        private long authTimeoutMs = 10_000;
        private int maxFrameBytes = 65_536;
        private int maxBodyBytes = 16_384;
        private double sendRatePerSecond = 100;
        private int sendBurst = 200;
        private int maxBadFramesPerMinute = 50;
        private long outboundMaxBytes = 4L * 1024 * 1024;
        private int outboundMaxFrames = 10_000;
        private Duration shutdownGrace = Duration.ofSeconds(10);
        private Durability durability = Durability.FULL;
        private int writeQueueCapacity = 65_536;
        private long commitLingerMicros;
        private String logLevel = "INFO";

        public Builder host(String v) { host = v; return this; }
        public Builder port(int v) { port = v; return this; }
        public Builder dataDir(Path v) { dataDir = v; return this; }
        public Builder jwtSecret(String v) { jwtSecret = v; return this; }
        public Builder jwtPublicKey(Path v) { jwtPublicKey = v; return this; }
        public Builder devMode(boolean v) { devMode = v; return this; }
        public Builder heartbeatMs(long v) { heartbeatMs = v; return this; }
        public Builder authTimeoutMs(long v) { authTimeoutMs = v; return this; }
        public Builder maxFrameBytes(int v) { maxFrameBytes = v; return this; }
        public Builder maxBodyBytes(int v) { maxBodyBytes = v; return this; }
        public Builder sendRatePerSecond(double v) { sendRatePerSecond = v; return this; }
        public Builder sendBurst(int v) { sendBurst = v; return this; }
        public Builder maxBadFramesPerMinute(int v) { maxBadFramesPerMinute = v; return this; }
        public Builder outboundMaxBytes(long v) { outboundMaxBytes = v; return this; }
        public Builder outboundMaxFrames(int v) { outboundMaxFrames = v; return this; }
        public Builder shutdownGrace(Duration v) { shutdownGrace = v; return this; }
        public Builder durability(Durability v) { durability = v; return this; }
        public Builder writeQueueCapacity(int v) { writeQueueCapacity = v; return this; }
        public Builder commitLingerMicros(long v) { commitLingerMicros = v; return this; }
        public Builder logLevel(String v) { logLevel = v; return this; }

        public ServerConfig build() {
            return new ServerConfig(this);
        }
    }
}
