package dev.parley.server.session;

import dev.parley.protocol.CloseCode;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import java.util.concurrent.TimeUnit;

/** Closing a WebSocket with a code: the close frame goes after what is queued, and a timer ends stuck peers. */
public final class Closing {
    private static final long FORCE_CLOSE_MS = 2_000;

    private Closing() {
    }

    public static void close(Channel channel, CloseCode code) {
        close(channel, code.code(), code.reason());
    }

    public static void close(Channel channel, int code, String reason) {
        if (!channel.isActive()) {
            return;
        }
        channel.writeAndFlush(new CloseWebSocketFrame(code, reason)).addListener(ChannelFutureListener.CLOSE);
        // A blackholed or slow peer may never take the close frame; do not keep its socket waiting for it.
        channel.eventLoop().schedule(() -> {
            channel.close();
        }, FORCE_CLOSE_MS, TimeUnit.MILLISECONDS);
    }
}
