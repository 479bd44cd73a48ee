package dev.parley.server;

import ch.qos.logback.classic.Level;
import dev.parley.server.config.ServerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code parley server}: every setting is a flag, and each flag's default comes from a {@code PARLEY_*}
 * environment variable when it is set. Runs until SIGTERM or SIGINT, then stops gracefully and exits 0.
 */
@Command(name = "server", mixinStandardHelpOptions = true, description = "Run a Parley server node.")
public final class ServerCommand implements Callable<Integer> {
    @Option(names = "--host", defaultValue = "${env:PARLEY_HOST}",
            description = "Address to bind (PARLEY_HOST); 0.0.0.0 by default, 127.0.0.1 in dev mode.")
    String host;
    @Option(names = "--port", defaultValue = "${env:PARLEY_PORT:-8080}", description = "Port; 0 picks a free one (PARLEY_PORT).")
    int port;
    @Option(names = "--data-dir", defaultValue = "${env:PARLEY_DATA_DIR:-data}", description = "SQLite database and dev secret (PARLEY_DATA_DIR).")
    Path dataDir;
    @Option(names = "--dev", defaultValue = "${env:PARLEY_DEV:-false}", fallbackValue = "true", arity = "0..1",
            description = "Dev mode: dev tokens at POST /api/dev/token, chat page at / (PARLEY_DEV).")
    boolean dev;
    @Option(names = "--jwt-secret", defaultValue = "${env:PARLEY_JWT_SECRET}", description = "HS256 secret, >= 32 bytes (PARLEY_JWT_SECRET).")
    String jwtSecret;
    @Option(names = "--jwt-public-key", defaultValue = "${env:PARLEY_JWT_PUBLIC_KEY}", description = "PEM public key for RS256/ES256 (PARLEY_JWT_PUBLIC_KEY).")
    Path jwtPublicKey;
    @Option(names = "--heartbeat-ms", defaultValue = "${env:PARLEY_HEARTBEAT_MS:-25000}", description = "Ping interval; silent for twice this = dead (PARLEY_HEARTBEAT_MS).")
    long heartbeatMs;
    @Option(names = "--auth-timeout-ms", defaultValue = "${env:PARLEY_AUTH_TIMEOUT_MS:-10000}", description = "Time allowed for the auth frame (PARLEY_AUTH_TIMEOUT_MS).")
    long authTimeoutMs;
    @Option(names = "--max-frame-bytes", defaultValue = "${env:PARLEY_MAX_FRAME_BYTES:-65536}", description = "PARLEY_MAX_FRAME_BYTES")
    int maxFrameBytes;
    @Option(names = "--max-body-bytes", defaultValue = "${env:PARLEY_MAX_BODY_BYTES:-16384}", description = "PARLEY_MAX_BODY_BYTES")
    int maxBodyBytes;
    @Option(names = "--send-rate", defaultValue = "${env:PARLEY_SEND_RATE:-100}", description = "Sends per second per connection (PARLEY_SEND_RATE).")
    double sendRate;
    @Option(names = "--send-burst", defaultValue = "${env:PARLEY_SEND_BURST:-200}", description = "PARLEY_SEND_BURST")
    int sendBurst;
    @Option(names = "--outbound-max-bytes", defaultValue = "${env:PARLEY_OUTBOUND_MAX_BYTES:-4194304}", description = "Slow-consumer bound (PARLEY_OUTBOUND_MAX_BYTES).")
    long outboundMaxBytes;
    @Option(names = "--outbound-max-frames", defaultValue = "${env:PARLEY_OUTBOUND_MAX_FRAMES:-10000}", description = "PARLEY_OUTBOUND_MAX_FRAMES")
    int outboundMaxFrames;
    @Option(names = "--shutdown-grace-ms", defaultValue = "${env:PARLEY_SHUTDOWN_GRACE_MS:-10000}", description = "PARLEY_SHUTDOWN_GRACE_MS")
    long shutdownGraceMs;
    @Option(names = "--durability", defaultValue = "${env:PARLEY_DURABILITY:-FULL}",
            description = "FULL: fsync every commit (acks survive power loss); NORMAL: survive process crashes only (PARLEY_DURABILITY).")
    ServerConfig.Durability durability;
    @Option(names = "--commit-linger-us", defaultValue = "${env:PARLEY_COMMIT_LINGER_US:-0}",
            description = "The writer waits this long after a batch's first write for more to join its commit: fewer, "
                    + "larger commits for a little latency (PARLEY_COMMIT_LINGER_US; 0 = off).")
    long commitLingerUs;
    @Option(names = "--log-level", defaultValue = "${env:PARLEY_LOG_LEVEL:-INFO}", description = "PARLEY_LOG_LEVEL")
    String logLevel;

    public ServerConfig config() {
        // Dev mode mints tokens for anyone who asks: keep it on this machine unless told otherwise.
        String bind = host != null && !host.isEmpty() ? host : dev ? "127.0.0.1" : "0.0.0.0";
        return ServerConfig.builder()
                .host(bind).port(port).dataDir(dataDir).devMode(dev)
                .jwtSecret(jwtSecret == null || jwtSecret.isEmpty() ? null : jwtSecret)
                .jwtPublicKey(jwtPublicKey)
                .heartbeatMs(heartbeatMs).authTimeoutMs(authTimeoutMs)
                .maxFrameBytes(maxFrameBytes).maxBodyBytes(maxBodyBytes)
                .sendRatePerSecond(sendRate).sendBurst(sendBurst)
                .outboundMaxBytes(outboundMaxBytes).outboundMaxFrames(outboundMaxFrames)
                .shutdownGrace(Duration.ofMillis(shutdownGraceMs)).durability(durability).logLevel(logLevel)
                .commitLingerMicros(commitLingerUs)
                .build();
    }

    @Override
    public Integer call() throws Exception {
        ServerConfig config;
        ParleyServer server;
        try {
            config = config();
            ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                    .setLevel(Level.toLevel(config.logLevel(), Level.INFO));
            server = ParleyServer.start(config);
        } catch (Exception e) {
            // A mistake in the flags or a port in use (Netty throws its IOException unchecked): one line, no trace.
            if (e instanceof IllegalArgumentException || e instanceof IllegalStateException || e instanceof java.io.IOException) {
                System.err.println("parley server: " + e.getMessage());
                return 1;
            }
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runnable stop = () -> {
            server.stop();
            stopped.countDown();
        };
        Signals.onTermination(stop);
        printReady(config.host(), server.port(), config.devMode());
        stopped.await();
        return 0;
    }

    private static void printReady(String host, int port, boolean dev) {
        String base = "http://localhost:" + port + "/";
        System.out.println("Parley ready: " + base + "  (WebSocket ws://localhost:" + port + "/ws, bound to " + host + ")");
        if (dev) {
            System.out.println("Open " + base + " in two browser windows to chat, or get a token with:");
            System.out.println("  curl -s -X POST " + base + "api/dev/token -d '{\"user_id\":\"alice\"}'");
        }
        System.out.flush();
    }
}
