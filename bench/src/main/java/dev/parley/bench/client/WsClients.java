package dev.parley.bench.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The generator's sockets: one event loop group for every connection (epoll where it loads), one bootstrap per
 * loop so a connection can be pinned to the loop that owns its scenario state, and a set of 127.0.0.x source
 * addresses to spread connections over when one address runs out of ephemeral ports.
 */
public final class WsClients implements AutoCloseable {
    /** Connections per source address before moving to the next one (the ephemeral range holds about 28,000). */
    public static final int PER_SOURCE_ADDRESS = 25_000;

    private final MultiThreadIoEventLoopGroup group;
    private final List<EventLoop> loops = new ArrayList<>();
    private final List<Bootstrap> bootstraps = new ArrayList<>();
    private final URI uri;
    private final InetSocketAddress remote;

    public WsClients(URI wsUri, int threads) {
        this.uri = wsUri;
        this.remote = new InetSocketAddress(wsUri.getHost(), wsUri.getPort());
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.group = new MultiThreadIoEventLoopGroup(threads, io);
        group.forEach(e -> loops.add((EventLoop) e));
        WebSocketClientProtocolConfig ws = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(wsUri)
                .version(WebSocketVersion.V13)
                .maxFramePayloadLength(16 * 1024 * 1024)
                .handshakeTimeoutMillis(120_000)
                .handleCloseFrames(false)
                .dropPongFrames(true)
                .withUTF8Validator(false) // the server's frames are JSON from Jackson; checking them costs the generator CPU
                .build();
        for (EventLoop loop : loops) {
            bootstraps.add(new Bootstrap()
                    .group(loop)
                    .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000));
            if (epoll) {
                bootstraps.get(bootstraps.size() - 1).option(EpollChannelOption.IP_BIND_ADDRESS_NO_PORT, true);
            }
        }
        this.websocket = ws;
    }

    private final WebSocketClientProtocolConfig websocket;

    public int loopCount() {
        return loops.size();
    }

    public EventLoop loop(int index) {
        return loops.get(Math.floorMod(index, loops.size()));
    }

    public URI uri() {
        return uri;
    }

    /** Connects on the given loop, from 127.0.0.(1 + sourceIndex / PER_SOURCE_ADDRESS). */
    io.netty.channel.ChannelFuture connect(int loopIndex, int sourceIndex, Conn.Handler handler) {
        Bootstrap b = bootstraps.get(Math.floorMod(loopIndex, loops.size())).clone().handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(8192),
                        new WebSocketClientProtocolHandler(websocket), handler);
            }
        });
        io.netty.channel.ChannelFuture f;
        // The first PER_SOURCE_ADDRESS connections leave the source to the kernel (127.0.0.1); later ones bind
        // 127.0.0.2, .3, ... with IP_BIND_ADDRESS_NO_PORT, so the port is picked at connect() time per 4-tuple instead
        // of by bind()'s scan of every bound port, which costs milliseconds of kernel time per socket at 10,000s.
        if (sourceIndex >= PER_SOURCE_ADDRESS && remote.getAddress().isLoopbackAddress()) {
            int octet = 1 + sourceIndex / PER_SOURCE_ADDRESS;
            if (octet > 254) {
                throw new IllegalArgumentException("too many connections for the 127.0.0.x source addresses");
            }
            f = b.connect(remote, new InetSocketAddress("127.0.0." + octet, 0));
        } else {
            f = b.connect(remote);
        }
        return f;
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
