package dev.parley.client.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on 127.0.0.1 in front of the real server that injects network faults: drop every connection,
 * refuse new ones (the phone is offline), blackhole traffic in both directions without closing anything (a dead
 * NAT mapping), and delay every chunk. One pump thread per direction per connection.
 */
public final class FaultyProxy implements AutoCloseable {
    private final int targetPort;
    private final ServerSocket listener;
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger closedByServerWhileBlackholed = new AtomicInteger();
    private volatile boolean refusing;
    private volatile boolean blackholed;
    private volatile long latencyNanos;
    private volatile boolean closed;

    private FaultyProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.listener = new ServerSocket();
        this.listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread acceptor = new Thread(this::acceptLoop, "faulty-proxy-accept-" + port());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public static FaultyProxy start(int targetPort) throws IOException {
        return new FaultyProxy(targetPort);
    }

    public int port() {
        return listener.getLocalPort();
    }

    public String wsUrl() {
        return "ws://127.0.0.1:" + port() + "/ws";
    }

    /** Closes every open connection at once, both sides (like a network switch). */
    public void dropAll() {
        for (Link link : links) {
            link.close();
        }
    }

    /** While refusing, new connections are closed as soon as they are accepted. */
    public void refuse(boolean on) {
        refusing = on;
    }

    /**
     * While on, no byte gets through in either direction, on open or new connections, and no close is passed on
     * either. Turning it off closes the connections that lost bytes, as a real network's ends eventually would.
     */
    public void blackhole(boolean on) {
        if (on) {
            for (Link link : links) {
                link.wasOpenWhenBlackholed = true;
            }
        }
        blackholed = on;
        if (!on) {
            for (Link link : links) {
                if (link.tainted) {
                    link.close();
                }
            }
        }
    }

    /** Every chunk waits this long before it is passed on, in both directions. */
    public void latency(Duration delay) {
        latencyNanos = delay.toNanos();
    }

    /** Connections open when the blackhole began whose server side then closed them: the server noticed. */
    public int closedByServerWhileBlackholed() {
        return closedByServerWhileBlackholed.get();
    }

    public int openConnections() {
        return links.size();
    }

    public int acceptedConnections() {
        return accepted.get();
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        dropAll();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return;
            }
            accepted.incrementAndGet();
            if (refusing) {
                closeQuietly(client);
                continue;
            }
            try {
                Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                Link link = new Link(client, server);
                links.add(link);
                link.start();
            } catch (IOException e) {
                closeQuietly(client); // the server is down: the client sees a closed connection
            }
        }
    }

    private final class Link {
        final Socket client;
        final Socket server;
        volatile boolean tainted;
        volatile boolean wasOpenWhenBlackholed;
        private final AtomicInteger pumpsDone = new AtomicInteger();

        Link(Socket client, Socket server) {
            this.client = client;
            this.server = server;
        }

        void start() {
            pump(client, server, false);
            pump(server, client, true);
        }

        private void pump(Socket from, Socket to, boolean fromServer) {
            Thread t = new Thread(() -> {
                byte[] buffer = new byte[16 * 1024];
                try (InputStream in = from.getInputStream()) {
                    OutputStream out = to.getOutputStream();
                    int n;
                    while ((n = in.read(buffer)) >= 0) {
                        if (blackholed) {
                            tainted = true;
                            continue;
                        }
                        long delay = latencyNanos;
                        if (delay > 0) {
                            TimeUnit.NANOSECONDS.sleep(delay);
                        }
                        if (blackholed || tainted) {
                            tainted = true;
                            continue;
                        }
                        out.write(buffer, 0, n);
                        out.flush();
                    }
                    // End of stream from this side.
                    if (blackholed) {
                        tainted = true;
                        if (fromServer && wasOpenWhenBlackholed) {
                            closedByServerWhileBlackholed.incrementAndGet();
                        }
                        if (pumpsDone.incrementAndGet() == 2) {
                            close();
                        }
                        return; // a blackhole passes no FIN on
                    }
                } catch (IOException | InterruptedException e) {
                    if (blackholed && fromServer && wasOpenWhenBlackholed && !client.isClosed()) {
                        closedByServerWhileBlackholed.incrementAndGet();
                    }
                    if (blackholed) {
                        tainted = true;
                        if (pumpsDone.incrementAndGet() == 2) {
                            close();
                        }
                        return;
                    }
                }
                close();
            }, "faulty-proxy-" + (fromServer ? "down" : "up"));
            t.setDaemon(true);
            t.start();
        }

        void close() {
            links.remove(this);
            closeQuietly(client);
            closeQuietly(server);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
