package dev.parley.server;

import dev.parley.protocol.CloseCode;
import dev.parley.server.auth.DevSecret;
import dev.parley.server.auth.TokenIssuer;
import dev.parley.server.auth.TokenVerifier;
import dev.parley.server.bus.Bus;
import dev.parley.server.bus.LocalBus;
import dev.parley.server.config.ServerConfig;
import dev.parley.server.http.HttpApiHandler;
import dev.parley.server.metrics.ServerMetrics;
import dev.parley.server.routing.BusPublisher;
import dev.parley.server.routing.MessageRouter;
import dev.parley.server.routing.SubscriptionService;
import dev.parley.server.routing.SyncService;
import dev.parley.server.session.Session;
import dev.parley.server.session.SessionRegistry;
import dev.parley.server.session.SessionServices;
import dev.parley.server.store.Store;
import dev.parley.server.store.sqlite.SqliteStore;
import dev.parley.server.transport.NettyTransport;
import dev.parley.server.transport.ServerInitializer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One Parley node: wires the store, bus, services and transport, then starts and stops them. */
public final class ParleyServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ParleyServer.class);

    private final ServerConfig config;
    private final Store store;
    private final Bus bus;
    private final MessageRouter router;
    private final SessionRegistry sessions = new SessionRegistry();
    private final NettyTransport transport = new NettyTransport();
    private final TokenIssuer devTokens;
    private final ServerInitializer initializer;
    private InetSocketAddress address;
    private boolean stopped;

    private ParleyServer(ServerConfig config) {
        this.config = config;
        ServerMetrics metrics = new ServerMetrics();
        byte[] hmacSecret = config.jwtSecret() != null
                ? config.jwtSecret().getBytes(StandardCharsets.UTF_8)
                : config.devMode() ? DevSecret.loadOrCreate(config.dataDir()) : null;
        TokenVerifier tokens = new TokenVerifier(hmacSecret, config.jwtPublicKey());
        this.devTokens = config.devMode() ? new TokenIssuer(hmacSecret) : null;
        this.bus = new LocalBus();
        SqliteStore sqlite = new SqliteStore(config.dataDir(), config.durability() == ServerConfig.Durability.FULL,
                config.writeQueueCapacity(), config.commitLingerMicros(), new BusPublisher(bus, metrics), metrics::commitNanos);
        this.store = sqlite;
        this.router = new MessageRouter(store, config.maxBodyBytes());
        metrics.connectionsGauge(sessions::size);
        metrics.writeQueueGauge(sqlite::queuedWrites);
        SessionServices services = new SessionServices(config, tokens, router, new SubscriptionService(store, bus),
                new SyncService(store), sessions, metrics);
        this.initializer = new ServerInitializer(config, new HttpApiHandler(store, tokens, devTokens, metrics), services, metrics);
    }

    public static ParleyServer start(ServerConfig config) throws InterruptedException {
        ParleyServer server = new ParleyServer(config);
        server.address = server.transport.bind(config.host(), config.port(), server.initializer);
        log.info("listening on {} ({}), data in {}", server.address, server.transport.transportName(),
                config.dataDir().toAbsolutePath());
        if (config.devMode()) {
            log.warn("DEV MODE IS ON: anyone can mint a token at POST /api/dev/token and the chat page is served at /. "
                    + "Never run a public server like this.");
        }
        return server;
    }

    public int port() {
        return address.getPort();
    }

    public ServerConfig config() {
        return config;
    }

    /** The dev-mode token issuer, or null when dev mode is off. */
    public TokenIssuer devTokens() {
        return devTokens;
    }

    public SessionRegistry sessions() {
        return sessions;
    }

    /**
     * Graceful stop: no new connections, sends already accepted are committed and acked, later ones get
     * unavailable, every connection is closed with 1001. Bounded by the configured grace period.
     */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        long deadline = System.nanoTime() + config.shutdownGrace().toNanos();
        log.info("shutting down: {} connections", sessions.size());
        transport.stopAccepting();
        router.startDraining();
        try {
            store.drain(remainingMs(deadline) / 2);
            for (Session s : sessions.all()) {
                s.closeAfterReplies(CloseCode.GOING_AWAY);
            }
            while (sessions.size() > 0 && remainingMs(deadline) > 0) {
                TimeUnit.MILLISECONDS.sleep(10);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        transport.shutdown();
        store.close();
        bus.close();
        log.info("stopped");
    }

    private static long remainingMs(long deadlineNanos) {
        return Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
    }

    @Override
    public void close() {
        stop();
    }
}
