package dev.parley.server.session;

import dev.parley.protocol.CloseCode;
import dev.parley.protocol.ServerFrame;
import dev.parley.server.bus.SharedFrame;
import dev.parley.server.bus.Subscriber;
import io.netty.channel.Channel;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;

/**
 * One WebSocket connection: who it is, what it subscribed to, and the chain that keeps its replies in order.
 * Unless a field says otherwise, it is owned by the connection's event loop.
 */
public final class Session implements Subscriber {
    final Channel channel;
    private final String connectionId;
    final SendRateLimiter sendRate;
    final BadFrameCounter badFrames;
    /** Written once on the event loop at auth, read by bus threads. */
    private volatile String userId;
    long tokenExpiresAtMs;
    ScheduledFuture<?> expiryTimer;
    ScheduledFuture<?> authTimer;
    final Set<String> subscriptions = new HashSet<>();
    /** Keeps requests and replies in order; set at the handshake. */
    RequestSequencer requests;
    /** Set on the event loop, read anywhere. */
    private volatile boolean closing;

    Session(Channel channel, String connectionId, SendRateLimiter sendRate, BadFrameCounter badFrames) {
        this.channel = channel;
        this.connectionId = connectionId;
        this.sendRate = sendRate;
        this.badFrames = badFrames;
    }

    @Override
    public String userId() {
        return userId;
    }

    void bind(String userId) {
        this.userId = userId;
    }

    boolean authenticated() {
        return userId != null;
    }

    @Override
    public String connectionId() {
        return connectionId;
    }

    @Override
    public void deliver(SharedFrame frame) {
        channel.writeAndFlush(frame, channel.voidPromise());
    }

    void reply(ServerFrame frame) {
        channel.writeAndFlush(frame, channel.voidPromise());
    }

    /** Past this many unanswered requests the connection stops reading until half are answered. */
    public static final int MAX_PENDING_REQUESTS = RequestSequencer.MAX_PENDING;

    /** Requests accepted and not yet answered; read from other threads only for tests and diagnostics. */
    public int pendingRequests() {
        RequestSequencer r = requests;
        return r == null ? 0 : r.pending();
    }

    boolean closing() {
        return closing;
    }

    /** Sends the close frame after what is already queued, then closes; forced after a short wait. */
    public void close(CloseCode code) {
        close(code.code(), code.reason());
    }

    void close(int code, String reason) {
        if (!channel.eventLoop().inEventLoop()) {
            channel.eventLoop().execute(() -> close(code, reason));
            return;
        }
        if (closing) {
            return;
        }
        closing = true;
        Closing.close(channel, code, reason);
    }

    /** Closes once every reply already promised has been written: the shutdown path, so no ack is cut off. */
    public void closeAfterReplies(CloseCode code) {
        channel.eventLoop().execute(() -> requests.idle().whenCompleteAsync((v, e) -> close(code), channel.eventLoop()));
    }

    /** The channel is gone: from now on late completions must not register this session anywhere. */
    void markClosed() {
        closing = true;
    }

    @Override
    public String toString() {
        return "Session{" + connectionId + " " + userId + "}";
    }
}
