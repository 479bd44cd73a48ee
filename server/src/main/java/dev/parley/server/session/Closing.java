package dev.parley.server.session;

import dev.parley.protocol.CloseCode;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.util.AttributeKey;
import java.util.concurrent.TimeUnit;

/**
 * Closing a WebSocket with a code: the close frame goes after what is queued, and a timer ends stuck peers (a
 * consumer that is not reading may never see the frame, only the connection drop). The first reason given is
 * kept on the channel for the close log line.
 */
public final class Closing {
    private static final long FORCE_CLOSE_MS = 2_000;
    private static final AttributeKey<String> REASON = AttributeKey.valueOf("parley.close.reason");

    /** Records why the channel is closing, unless an earlier reason was recorded. */
    public static void noteReason(Channel channel, String reason) {
        channel.attr(REASON).setIfAbsent(reason);
    }

    /** Why the channel closed: the first reason recorded, else the peer closed it. */
    public static String reason(Channel channel) {
        String reason = channel.attr(REASON).get();
        return reason == null ? "peer closed" : reason;
    }

    private Closing() {
    }

    public static void close(Channel channel, CloseCode code) {
        close(channel, code.code(), code.reason());
    }

    public static void close(Channel channel, int code, String reason) {
        noteReason(channel, code + " " + reason);
        if (!channel.isActive()) {
            return;
        }
        // The close handshake: the peer answers with its own close frame and Netty's protocol handler then closes
        // the socket. Closing it ourselves right away could leave the peer's last frames unread on our side, and a
        // socket closed with unread data sends a reset that can destroy the close frame before the peer reads it.
        channel.writeAndFlush(new CloseWebSocketFrame(code, reason));
        // A blackholed or slow peer may never answer; do not keep its socket waiting for it.
        channel.eventLoop().schedule(() -> {
            channel.close();
        }, FORCE_CLOSE_MS, TimeUnit.MILLISECONDS);
    }
}
