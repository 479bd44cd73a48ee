package dev.parley.server.transport;

import dev.parley.server.config.ServerConfig;
import dev.parley.server.http.HttpApiHandler;
import dev.parley.server.metrics.ServerMetrics;
import dev.parley.server.session.SessionHandler;
import dev.parley.server.session.SessionServices;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;

/** The whole pipeline of a connection, in order. Each handler does one job. */
public final class ServerInitializer extends ChannelInitializer<SocketChannel> {
    public static final String WEBSOCKET_PATH = "/ws";
    private static final int MAX_HTTP_BODY = 64 * 1024;

    private final ServerConfig config;
    private final HttpApiHandler http;
    private final SessionServices sessions;
    private final ServerMetrics metrics;
    private final WebSocketServerProtocolConfig websocket;

    public ServerInitializer(ServerConfig config, HttpApiHandler http, SessionServices sessions, ServerMetrics metrics) {
        this.config = config;
        this.http = http;
        this.sessions = sessions;
        this.metrics = metrics;
        this.websocket = WebSocketServerProtocolConfig.newBuilder()
                .websocketPath(WEBSOCKET_PATH)
                .maxFramePayloadLength(config.maxFrameBytes())
                .handshakeTimeoutMillis(config.authTimeoutMs())
                .forceCloseTimeoutMillis(2_000)
                .dropPongFrames(true)
                .handleCloseFrames(true)
                .build();
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ChannelPipeline p = ch.pipeline();
        HeartbeatHandler heartbeat = new HeartbeatHandler(config.heartbeatMs());
        p.addLast("heartbeat", heartbeat);                    // any byte read is life; pings; 4000 on silence
        p.addLast("http", new HttpServerCodec());
        p.addLast("http-aggregator", new JsonHttpObjectAggregator(MAX_HTTP_BODY));
        p.addLast("websocket", new WebSocketServerProtocolHandler(websocket)); // upgrade at /ws; 1009 on huge frames
        p.addLast("fragments", new WebSocketFrameAggregator(config.maxFrameBytes())); // reassembled size is bounded too
        p.addLast("upgrade", new HeartbeatHandler.UpgradeListener(heartbeat));
        p.addLast("api", http);                               // plain HTTP: REST, health, metrics, page
        p.addLast("outbound-guard", new OutboundGuard(config.outboundMaxBytes(), config.outboundMaxFrames(), metrics));
        p.addLast("codec", FrameCodecHandler.INSTANCE);       // JSON text frames <-> protocol frames
        p.addLast("session", new SessionHandler(sessions));   // handshake, auth, requests in order
    }
}
