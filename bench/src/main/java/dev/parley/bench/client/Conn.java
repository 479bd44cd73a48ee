package dev.parley.bench.client;

import dev.parley.protocol.FrameCodec;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.ServerFrame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.FastThreadLocal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One simulated client: a user, a token and the conversations it subscribes to. Each {@link #connect()} opens a
 * new socket on the client's own event loop, pipelines {@code auth} and {@code subscribe} (plus whatever
 * {@link Listener#onOpen} adds, such as a {@code sync}), and hands every server frame to the listener on that loop.
 * Writes are not flushed until {@link #flush()}, so a caller can batch a tick's frames into one syscall.
 * Every field is owned by the client's event loop unless it says otherwise.
 */
public final class Conn {
    /** Callbacks, all on the client's event loop. */
    public interface Listener {
        /** The WebSocket is up and auth/subscribe are written (not flushed); add more frames here. */
        default void onOpen(Conn conn) {
        }

        default void onSubscribed(Conn conn, ServerFrame.Subscribed subscribed) {
        }

        /** Hot-path frames (acks, messages, receipts, pongs, errors), as a reused view: copy what you keep. */
        void onFrame(Conn conn, ServerFrameView frame);

        default void onSyncResult(Conn conn, ServerFrame.SyncResult result) {
        }

        /**
         * A subscribed socket is gone; closeCode is the server's WebSocket close code, or -1 when there was none.
         * (A socket that fails before it is subscribed fails the {@link #connect()} future instead.)
         */
        default void onClosed(Conn conn, int closeCode, Throwable cause) {
        }
    }

    private static final FastThreadLocal<ServerFrameView> VIEW = new FastThreadLocal<>() {
        @Override
        protected ServerFrameView initialValue() {
            return new ServerFrameView();
        }
    };
    private static final FastThreadLocal<byte[][]> SCRATCH = new FastThreadLocal<>() {
        @Override
        protected byte[][] initialValue() {
            return new byte[][] {new byte[4096]};
        }
    };
    private static final FastThreadLocal<Frames> FRAMES = new FastThreadLocal<>() {
        @Override
        protected Frames initialValue() {
            return new Frames();
        }
    };

    private final WsClients clients;
    private final int loopIndex;
    private final int sourceIndex;
    public final String userId;
    private final String token;
    private final List<String> conversationIds;
    private final Listener listener;
    private Channel channel;
    private boolean dirty;
    /** nanoTime of the last connect() call, of its TCP connection, its WebSocket upgrade and its subscribed reply. */
    public volatile long connectStartedNanos;
    public volatile long tcpConnectedNanos;
    public volatile long upgradedNanos;
    public volatile long subscribedNanos;
    /** Free for the scenario: its per-client state. */
    public Object attachment;

    public Conn(WsClients clients, int loopIndex, int sourceIndex, String userId, String token,
                List<String> conversationIds, Listener listener) {
        this.clients = clients;
        this.loopIndex = loopIndex;
        this.sourceIndex = sourceIndex;
        this.userId = userId;
        this.token = token;
        this.conversationIds = conversationIds;
        this.listener = listener;
    }

    public EventLoop loop() {
        return clients.loop(loopIndex);
    }

    public List<String> conversationIds() {
        return conversationIds;
    }

    /** Opens a socket; the future completes on subscribed and fails if the connection or handshake fails. */
    public CompletableFuture<Conn> connect() {
        CompletableFuture<Conn> future = new CompletableFuture<>();
        Handler handler = new Handler(future);
        connectStartedNanos = System.nanoTime();
        clients.connect(loopIndex, sourceIndex, handler).addListener(f -> {
            if (!f.isSuccess()) {
                future.completeExceptionally(f.cause());
            } else {
                tcpConnectedNanos = System.nanoTime();
            }
        });
        return future;
    }

    public boolean isOpen() {
        return channel != null && channel.isActive();
    }

    /** The frame builder of the current event loop. */
    public static Frames frames() {
        return FRAMES.get();
    }

    /** Queues a text frame; call on the client's loop. Dropped when the socket is not open. */
    public boolean write(CharSequence json) {
        Channel ch = channel;
        if (ch == null || !ch.isActive()) {
            return false;
        }
        ByteBuf buf = ch.alloc().buffer(json.length());
        ByteBufUtil.writeAscii(buf, json);
        ch.write(new TextWebSocketFrame(buf), ch.voidPromise());
        dirty = true;
        return true;
    }

    public void flush() {
        if (dirty) {
            dirty = false;
            Channel ch = channel;
            if (ch != null) {
                ch.flush();
            }
        }
    }

    /** Cuts the socket without a close handshake, as a network failure would. */
    public void cut() {
        Channel ch = channel;
        if (ch != null) {
            ch.close();
        }
    }

    /** The channel's pipeline tail: one per socket, bound to this client. */
    final class Handler extends ChannelInboundHandlerAdapter {
        private final CompletableFuture<Conn> subscribed;
        private int closeCode = -1;

        Handler(CompletableFuture<Conn> subscribed) {
            this.subscribed = subscribed;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                upgradedNanos = System.nanoTime();
                channel = ctx.channel();
                Frames f = FRAMES.get();
                write(f.auth("a", token));
                if (!conversationIds.isEmpty()) {
                    write(f.subscribe("s", conversationIds));
                }
                listener.onOpen(Conn.this);
                flush();
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof TextWebSocketFrame text) {
                    onText(text.content());
                } else if (msg instanceof CloseWebSocketFrame close) {
                    closeCode = close.statusCode();
                    ctx.close();
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        private void onText(ByteBuf content) {
            int length = content.readableBytes();
            byte[][] holder = SCRATCH.get();
            if (holder[0].length < length) {
                holder[0] = new byte[Math.max(length, holder[0].length * 2)];
            }
            byte[] bytes = holder[0];
            content.getBytes(content.readerIndex(), bytes, 0, length);
            ServerFrameView view = VIEW.get();
            try {
                view.parse(bytes, 0, length);
            } catch (java.io.IOException e) {
                throw new IllegalStateException("unreadable frame from the server", e);
            }
            String type = view.type;
            if ("subscribed".equals(type) || "sync:result".equals(type)) {
                ServerFrame frame;
                try {
                    frame = FrameCodec.decodeServerFrame(new String(bytes, 0, length, StandardCharsets.UTF_8));
                } catch (ProtocolException e) {
                    throw new IllegalStateException("unreadable " + type + " frame", e);
                }
                if (frame instanceof ServerFrame.Subscribed s) {
                    subscribedNanos = System.nanoTime();
                    listener.onSubscribed(Conn.this, s);
                    subscribed.complete(Conn.this);
                } else {
                    listener.onSyncResult(Conn.this, (ServerFrame.SyncResult) frame);
                }
            } else if ("auth:ok".equals(type)) {
                if (conversationIds.isEmpty()) {
                    subscribed.complete(Conn.this);
                }
            } else {
                if ("error".equals(type) && !subscribed.isDone() && ("a".equals(view.ref) || "s".equals(view.ref))) {
                    subscribed.completeExceptionally(new IllegalStateException(
                            "setup of " + userId + " failed: " + view.code));
                }
                listener.onFrame(Conn.this, view);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            flush();
            ctx.fireChannelReadComplete();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            IllegalStateException gone = new IllegalStateException("connection of " + userId + " closed (" + closeCode + ")");
            boolean wasReady = subscribed.isDone() && !subscribed.isCompletedExceptionally();
            subscribed.completeExceptionally(gone);
            if (channel == ctx.channel()) {
                dirty = false;
            }
            if (wasReady) {
                listener.onClosed(Conn.this, closeCode, gone); // before that, the connect() future carries the failure
            }
            super.channelInactive(ctx);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            subscribed.completeExceptionally(cause);
            ctx.close();
        }
    }
}
