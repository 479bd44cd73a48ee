package dev.parley.server.session;

import dev.parley.server.auth.TokenVerifier;
import dev.parley.server.config.ServerConfig;
import dev.parley.server.metrics.ServerMetrics;
import dev.parley.server.routing.MessageRouter;
import dev.parley.server.routing.SubscriptionService;
import dev.parley.server.routing.SyncService;

/** What every connection's {@link SessionHandler} shares: made once, handed to each new handler. */
public record SessionServices(
        ServerConfig config,
        TokenVerifier tokens,
        MessageRouter messages,
        SubscriptionService subscriptions,
        SyncService sync,
        SessionRegistry registry,
        ServerMetrics metrics) {
}
