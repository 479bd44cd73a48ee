package dev.parley.server.transport;

import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.FrameCodec;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.ServerFrame;
import dev.parley.server.bus.SharedFrame;
import dev.parley.server.session.RejectedFrame;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.util.ReferenceCountUtil;

/** Text WebSocket frames to protocol frames and back, with the protocol module's pure codec. Stateless. */
@ChannelHandler.Sharable
public final class FrameCodecHandler extends ChannelDuplexHandler {
    public static final FrameCodecHandler INSTANCE = new FrameCodecHandler();

    private FrameCodecHandler() {
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof TextWebSocketFrame text) {
            String json;
            try {
                json = text.text();
            } finally {
                text.release();
            }
            try {
                ctx.fireChannelRead(FrameCodec.decodeClientFrame(json));
            } catch (ProtocolException e) {
                ctx.fireChannelRead(new RejectedFrame(e));
            }
        } else if (msg instanceof BinaryWebSocketFrame) {
            ReferenceCountUtil.release(msg);
            ctx.fireChannelRead(new RejectedFrame(new ProtocolException(ErrorCode.BAD_REQUEST,
                    "binary frames are not supported; send JSON in text frames")));
        } else if (msg instanceof PongWebSocketFrame) {
            ReferenceCountUtil.release(msg); // already counted as life by the heartbeat
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ServerFrame frame) {
            ctx.write(new TextWebSocketFrame(Unpooled.wrappedBuffer(FrameCodec.encodeToBytes(frame))), promise);
        } else if (msg instanceof SharedFrame shared) {
            ctx.write(new TextWebSocketFrame(Unpooled.wrappedBuffer(shared.bytes())), promise);
        } else {
            ctx.write(msg, promise);
        }
    }
}
