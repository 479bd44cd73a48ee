package dev.parley.server.transport;

import dev.parley.protocol.CloseCode;
import dev.parley.server.metrics.ServerMetrics;
import dev.parley.server.session.Closing;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.util.ReferenceCountUtil;

/**
 * Bounds what one connection may have waiting to be written. A slow consumer past the bound (bytes or frames) is
 * closed with 4009 instead of growing the heap; it loses nothing, because it syncs when it comes back.
 */
public final class OutboundGuard extends ChannelDuplexHandler {
    private final long maxBytes;
    private final int maxFrames;
    private final ServerMetrics metrics;
    // Owned by the channel's event loop.
    private int pendingFrames;
    private boolean tripped;
    private final ChannelFutureListener written = f -> pendingFrames--;

    public OutboundGuard(long maxBytes, int maxFrames, ServerMetrics metrics) {
        this.maxBytes = maxBytes;
        this.maxFrames = maxFrames;
        this.metrics = metrics;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof TextWebSocketFrame)) {
            ctx.write(msg, promise);
            return;
        }
        if (tripped) {
            ReferenceCountUtil.release(msg);
            promise.trySuccess(); // the connection is going away; the client will sync
            return;
        }
        ChannelOutboundBuffer buffer = ctx.channel().unsafe().outboundBuffer();
        long pendingBytes = buffer == null ? 0 : buffer.totalPendingWriteBytes();
        if (pendingFrames >= maxFrames || pendingBytes >= maxBytes) {
            tripped = true;
            ReferenceCountUtil.release(msg);
            promise.trySuccess();
            metrics.slowConsumerDropped();
            Closing.close(ctx.channel(), CloseCode.SLOW_CONSUMER);
            return;
        }
        pendingFrames++;
        ChannelPromise tracked = promise.isVoid() ? ctx.newPromise() : promise;
        tracked.addListener(written);
        ctx.write(msg, tracked);
    }
}
