package dev.parley.server.transport;

import dev.parley.protocol.CloseCode;
import dev.parley.server.session.Closing;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Finds dead connections. Sits at the head of the pipeline so that every byte read counts as life (pongs,
 * pings and frames alike); once the WebSocket is up it also sends a ping every heartbeat, and a connection silent
 * for two heartbeats is closed with 4000. A plain HTTP connection is only closed after a minute of silence: a
 * client waiting for a slow answer sends nothing, and must not lose it.
 */
public final class HeartbeatHandler extends ChannelDuplexHandler {
    private static final long HTTP_IDLE_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final long heartbeatNanos;
    // Owned by the channel's event loop.
    private long lastReadNanos;
    private boolean upgraded;
    private int ticks;
    private ScheduledFuture<?> task;

    public HeartbeatHandler(long heartbeatMs) {
        this.heartbeatNanos = TimeUnit.MILLISECONDS.toNanos(heartbeatMs);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        lastReadNanos = System.nanoTime();
        // Checking twice per heartbeat bounds detection at 2.5 heartbeats; a ping goes out on every other check.
        long half = heartbeatNanos / 2;
        task = ctx.channel().eventLoop().scheduleAtFixedRate(() -> tick(ctx), half, half, TimeUnit.NANOSECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        lastReadNanos = System.nanoTime();
        ctx.fireChannelRead(msg);
    }

    /** Called by the pipeline once the WebSocket handshake is done: from now on, send pings. */
    void upgraded() {
        upgraded = true;
    }

    private void tick(ChannelHandlerContext ctx) {
        if (!ctx.channel().isActive()) {
            task.cancel(false);
            return;
        }
        long silent = System.nanoTime() - lastReadNanos;
        if (silent >= (upgraded ? 2 * heartbeatNanos : Math.max(2 * heartbeatNanos, HTTP_IDLE_NANOS))) {
            task.cancel(false);
            if (upgraded) {
                Closing.close(ctx.channel(), CloseCode.HEARTBEAT_TIMEOUT);
            } else {
                ctx.close();
            }
            return;
        }
        if (upgraded && (++ticks & 1) == 0) {
            ctx.channel().writeAndFlush(new PingWebSocketFrame(), ctx.channel().voidPromise());
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (task != null) {
            task.cancel(false);
        }
        super.channelInactive(ctx);
    }

    /** Tells the head-of-pipeline heartbeat that the handshake completed (events only travel downstream). */
    static final class UpgradeListener extends io.netty.channel.ChannelInboundHandlerAdapter {
        private final HeartbeatHandler heartbeat;

        UpgradeListener(HeartbeatHandler heartbeat) {
            this.heartbeat = heartbeat;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
                heartbeat.upgraded();
                ctx.pipeline().remove(this);
            }
            super.userEventTriggered(ctx, evt);
        }
    }
}
