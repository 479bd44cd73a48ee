package dev.parley.server.session;

import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.CloseCode;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ServerFrame;
import dev.parley.server.auth.AuthException;
import dev.parley.server.auth.VerifiedToken;
import dev.parley.server.store.Ids;
import dev.parley.server.store.Rejection;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The protocol state machine of one connection: handshake, token refresh and expiry, then each request handed to
 * its service through the connection's {@link RequestSequencer}, which keeps requests and replies in order.
 */
public final class SessionHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(SessionHandler.class);

    private final SessionServices services;
    // Owned by the channel's event loop.
    private Session session;
    private EventLoop loop;

    public SessionHandler(SessionServices services) {
        this.services = services;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
            loop = ctx.channel().eventLoop();
            session = new Session(ctx.channel(), Ids.connectionId(),
                    new SendRateLimiter(services.config().sendRatePerSecond(), services.config().sendBurst()),
                    new BadFrameCounter(services.config().maxBadFramesPerMinute()));
            session.requests = new RequestSequencer(ctx.channel(), this::write);
            services.registry().add(session);
            long timeout = services.config().authTimeoutMs();
            session.authTimer = loop.schedule(() -> {
                if (!session.authenticated()) {
                    rejectUnauthenticated(null, "no auth frame within " + timeout + " ms");
                }
            }, timeout, TimeUnit.MILLISECONDS);
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (session == null || session.closing()) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof RejectedFrame rejected) {
            onRejected(rejected);
        } else if (msg instanceof ClientFrame frame) {
            onFrame(frame);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onRejected(RejectedFrame rejected) {
        if (!session.authenticated()) {
            rejectUnauthenticated(rejected.error().ref(), "the first frame must be a valid auth frame");
            return;
        }
        services.metrics().badFrame();
        session.requests.answered(ServerFrame.Error.of(rejected.error()), rejected.error().ref());
        if (session.badFrames.recordAndCheck()) {
            session.close(CloseCode.POLICY_VIOLATION);
        }
    }

    private void onFrame(ClientFrame frame) {
        if (!session.authenticated()) {
            if (frame instanceof ClientFrame.Auth auth) {
                authenticate(auth);
            } else {
                rejectUnauthenticated(frame.ref, "the first frame must be auth");
            }
            return;
        }
        String user = session.userId();
        if (frame instanceof ClientFrame.Send send) {
            long retryAfter = session.sendRate.tryAcquire();
            if (retryAfter > 0) {
                session.requests.answered(new ServerFrame.Error(send.ref, ErrorCode.RATE_LIMITED,
                        "too many sends; slow down", null, retryAfter), send.ref);
                return;
            }
            long started = System.nanoTime();
            session.requests.write(() -> services.messages().send(user, session.connectionId(), send).whenComplete((ack, e) -> {
                if (e == null) {
                    services.metrics().ackLatencyNanos(System.nanoTime() - started);
                }
            }), send.ref);
        } else if (frame instanceof ClientFrame.Mark mark) {
            session.requests.write(() -> services.messages().mark(user, mark), mark.ref);
        } else if (frame instanceof ClientFrame.Ping ping) {
            session.requests.answered(new ServerFrame.Pong(ping.ref, System.currentTimeMillis()), ping.ref);
        } else if (frame instanceof ClientFrame.Auth auth) {
            refresh(auth);
        } else if (frame instanceof ClientFrame.Subscribe subscribe) {
            session.requests.read(() -> services.subscriptions().subscribe(session, subscribe)
                    .thenApplyAsync(subscribed -> remember(subscribe.conversationIds, subscribed), loop), subscribe.ref);
        } else if (frame instanceof ClientFrame.Unsubscribe unsubscribe) {
            session.requests.read(() -> {
                unsubscribe.conversationIds.forEach(session.subscriptions::remove);
                return CompletableFuture.completedFuture(services.subscriptions().unsubscribe(session, unsubscribe));
            }, unsubscribe.ref);
        } else if (frame instanceof ClientFrame.Sync sync) {
            session.requests.read(() -> services.sync().sync(user, sync), sync.ref);
        }
    }

    /** On the event loop, after the bus registration: keep the ids for cleanup, or undo it if the channel is gone. */
    private ServerFrame remember(List<String> conversationIds, ServerFrame subscribed) {
        if (session.closing()) {
            services.subscriptions().dropAll(session, conversationIds);
        } else {
            session.subscriptions.addAll(conversationIds);
        }
        return subscribed;
    }

    // ---- auth ----

    private void authenticate(ClientFrame.Auth auth) {
        VerifiedToken token;
        try {
            token = services.tokens().verify(auth.token);
        } catch (AuthException e) {
            rejectUnauthenticated(auth.ref, e.getMessage());
            return;
        }
        session.authTimer.cancel(false);
        session.bind(token.userId());
        armExpiry(token);
        log.info("connection open user={} connection={} remote={}", token.userId(), session.connectionId(),
                session.channel.remoteAddress());
        session.requests.answered(authOk(auth.ref), auth.ref);
    }

    /** A later auth frame: same user only; a bad token leaves the current one in force. */
    private void refresh(ClientFrame.Auth auth) {
        VerifiedToken token;
        try {
            token = services.tokens().verify(auth.token);
        } catch (AuthException e) {
            replyError(auth.ref, ErrorCode.UNAUTHENTICATED, e.getMessage());
            return;
        }
        if (!token.userId().equals(session.userId())) {
            replyError(auth.ref, ErrorCode.FORBIDDEN, "the token is for another user");
            return;
        }
        armExpiry(token);
        session.requests.answered(authOk(auth.ref), auth.ref);
    }

    private ServerFrame authOk(String ref) {
        return new ServerFrame.AuthOk(ref, session.userId(), session.connectionId(), System.currentTimeMillis(),
                services.config().heartbeatMs(),
                new ServerFrame.Limits(services.config().maxFrameBytes(), services.config().maxBodyBytes()));
    }

    private void armExpiry(VerifiedToken token) {
        if (session.expiryTimer != null) {
            session.expiryTimer.cancel(false);
        }
        session.tokenExpiresAtMs = token.expiresAtMs();
        long delay = Math.max(0, token.expiresAtMs() - System.currentTimeMillis());
        session.expiryTimer = loop.schedule(() -> {
            if (System.currentTimeMillis() >= session.tokenExpiresAtMs) {
                session.reply(new ServerFrame.Error(null, ErrorCode.TOKEN_EXPIRED, "the token expired; reconnect with a new one"));
                session.close(CloseCode.UNAUTHENTICATED);
            }
        }, delay, TimeUnit.MILLISECONDS);
    }

    private void rejectUnauthenticated(String ref, String message) {
        session.reply(new ServerFrame.Error(ref, ErrorCode.UNAUTHENTICATED, message));
        session.close(CloseCode.UNAUTHENTICATED);
    }

    // ---- replies ----

    private void replyError(String ref, ErrorCode code, String message) {
        session.requests.answered(new ServerFrame.Error(ref, code, message), ref);
    }

    private void write(CompletableFuture<? extends ServerFrame> result, String ref) {
        ServerFrame frame;
        try {
            frame = result.join();
        } catch (CompletionException | java.util.concurrent.CancellationException e) {
            frame = errorFrame(e.getCause() == null ? e : e.getCause(), ref);
        }
        if (frame != null && !session.closing()) {
            session.reply(frame);
        }
    }

    private ServerFrame errorFrame(Throwable cause, String ref) {
        if (cause instanceof Rejection r) {
            return new ServerFrame.Error(ref, r.code(), r.getMessage(), r.conversationIds(), null);
        }
        log.error("request failed on connection {}", session.connectionId(), cause);
        return new ServerFrame.Error(ref, ErrorCode.INTERNAL, "internal error");
    }

    // ---- the end ----

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (session != null) {
            session.markClosed();
            if (session.authTimer != null) {
                session.authTimer.cancel(false);
            }
            if (session.expiryTimer != null) {
                session.expiryTimer.cancel(false);
            }
            services.subscriptions().dropAll(session, session.subscriptions);
            services.registry().remove(session);
            log.info("connection closed user={} connection={} reason={}",
                    session.userId() == null ? "-" : session.userId(), session.connectionId(), Closing.reason(ctx.channel()));
        }
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (session == null) {
            // A plain HTTP connection (or one that never finished its upgrade): a client's mistake, not ours.
            log.debug("closing a plain HTTP connection: {}", cause.toString());
            ctx.close();
            return;
        }
        if (cause instanceof TooLongFrameException) {
            session.close(CloseCode.MESSAGE_TOO_BIG);
        } else if (cause instanceof CorruptedWebSocketFrameException) {
            // Netty has already answered with the close code (1009 for a frame over the limit).
            Closing.noteReason(ctx.channel(), "protocol violation: " + cause.getMessage());
        } else if (cause instanceof IOException) {
            Closing.noteReason(ctx.channel(), "I/O: " + cause.getMessage());
            ctx.close();
        } else {
            log.warn("unexpected error on {}", session, cause);
            ctx.close();
        }
    }
}
