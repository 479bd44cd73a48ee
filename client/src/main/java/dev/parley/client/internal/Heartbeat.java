package dev.parley.client.internal;

import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ServerFrame;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The protocol-level heartbeat of one connection: a {@code ping} every interval, and the connection is declared
 * dead when neither the pong nor any other frame arrived within one more interval. With OkHttp's own WebSocket
 * pings (same interval) this catches a blackholed connection within about two intervals. Loop thread only.
 */
final class Heartbeat {
    private final ScheduledExecutorService loop;
    private final Connection connection;
    private final long intervalNanos;
    private final java.util.function.Consumer<ServerFrame> onPong;
    private final java.util.function.Consumer<String> onDead;
    private ScheduledFuture<?> ticks;
    private ScheduledFuture<?> deadline;
    private boolean awaitingPong;
    private long pingSentNanos;

    Heartbeat(ScheduledExecutorService loop, Connection connection, long intervalMillis,
              java.util.function.Consumer<ServerFrame> onPong, java.util.function.Consumer<String> onDead) {
        this.loop = loop;
        this.connection = connection;
        this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(intervalMillis);
        this.onPong = onPong;
        this.onDead = onDead;
    }

    void start() {
        ticks = loop.scheduleAtFixedRate(this::ping, intervalNanos, intervalNanos, TimeUnit.NANOSECONDS);
    }

    /** Checks the connection now (the app says the network changed). */
    void probe() {
        ping();
    }

    void stop() {
        if (ticks != null) {
            ticks.cancel(false);
        }
        if (deadline != null) {
            deadline.cancel(false);
        }
    }

    private void ping() {
        if (awaitingPong) {
            return;
        }
        awaitingPong = true;
        pingSentNanos = System.nanoTime();
        connection.request("p", ClientFrame.Ping::new, reply -> {
            awaitingPong = false;
            onPong.accept(reply);
        });
        deadline = loop.schedule(this::check, intervalNanos, TimeUnit.NANOSECONDS);
    }

    private void check() {
        if (!awaitingPong) {
            return;
        }
        long now = System.nanoTime();
        long silent = now - Math.max(pingSentNanos, connection.lastInboundNanos);
        if (silent >= intervalNanos) {
            onDead.accept("no pong within " + TimeUnit.NANOSECONDS.toMillis(intervalNanos) + " ms");
        } else {
            deadline = loop.schedule(this::check, intervalNanos - silent, TimeUnit.NANOSECONDS);
        }
    }
}
