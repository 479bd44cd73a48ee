package dev.parley.server.session;

import dev.parley.protocol.ServerFrame;
import io.netty.channel.EventLoop;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * Keeps one connection's requests in the order received, and its replies in the same order.
 *
 * <p>A read (subscribe, sync...) starts once every request before it is answered, so it sees their effects.
 * A write (send, receipt) only waits for the reads before it: the store's single writer keeps writes in order,
 * so a burst of sends reaches one group commit instead of one commit each.
 *
 * <p>Requests waiting for their reply are bounded: past {@link #MAX_PENDING} the connection stops reading from
 * its socket (TCP pushes back on the client) until half of them are answered. Frames already read by then (one
 * socket read, at most 64 KiB) are still taken, so the hard bound is MAX_PENDING plus one read's worth of frames.
 * Used on the event loop only.
 */
final class RequestSequencer {
    static final int MAX_PENDING = 1024;

    private record WaitingWrite(CompletableFuture<?> barrier, Runnable start) {
    }

    private final EventLoop loop;
    private final io.netty.channel.ChannelConfig channel;
    private final BiConsumer<CompletableFuture<? extends ServerFrame>, String> writer;
    private int pending;
    /** Completes when every reply so far has been written. */
    private CompletableFuture<?> tail = CompletableFuture.completedFuture(null);
    /** Completes when the last read has its answer. */
    private CompletableFuture<?> barrier = CompletableFuture.completedFuture(null);
    /** Writes waiting for a read before them, in arrival order (dependents of one future run in no fixed order). */
    private final ArrayDeque<WaitingWrite> waiting = new ArrayDeque<>();

    /** @param writer writes a finished request's reply (or its error) to the connection */
    RequestSequencer(io.netty.channel.Channel channel, BiConsumer<CompletableFuture<? extends ServerFrame>, String> writer) {
        this.loop = channel.eventLoop();
        this.channel = channel.config();
        this.writer = writer;
    }

    /** Requests accepted and not yet answered. */
    int pending() {
        return pending;
    }

    /** A request that must see the effects of every request before it. */
    void read(Supplier<CompletableFuture<? extends ServerFrame>> work, String ref) {
        CompletableFuture<ServerFrame> result = tail.thenComposeAsync(ignored -> start(work), loop);
        barrier = result;
        reply(result, ref);
    }

    /** A write: starts now, unless a read before it is still running (which must not see it). */
    void write(Supplier<CompletableFuture<? extends ServerFrame>> work, String ref) {
        reply(startWrite(work), ref);
    }

    /** A request answered at once (or already failed). */
    void answered(ServerFrame frame, String ref) {
        reply(CompletableFuture.completedFuture(frame), ref);
    }

    /** Completes once every reply promised so far is written. */
    CompletableFuture<?> idle() {
        return tail;
    }

    private CompletableFuture<ServerFrame> startWrite(Supplier<CompletableFuture<? extends ServerFrame>> work) {
        if (waiting.isEmpty() && barrier.isDone()) {
            return start(work);
        }
        CompletableFuture<ServerFrame> result = new CompletableFuture<>();
        waiting.add(new WaitingWrite(barrier, () -> start(work).whenComplete((r, e) -> {
            if (e != null) {
                result.completeExceptionally(e);
            } else {
                result.complete(r);
            }
        })));
        if (waiting.size() == 1) {
            barrier.whenCompleteAsync((v, e) -> startWaitingWrites(), loop);
        }
        return result;
    }

    private void startWaitingWrites() {
        while (!waiting.isEmpty()) {
            WaitingWrite next = waiting.peek();
            if (!next.barrier.isDone()) {
                next.barrier.whenCompleteAsync((v, e) -> startWaitingWrites(), loop);
                return;
            }
            waiting.poll().start.run();
        }
    }

    private static CompletableFuture<ServerFrame> start(Supplier<CompletableFuture<? extends ServerFrame>> work) {
        try {
            return work.get().thenApply(f -> (ServerFrame) f);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Writes the result once every earlier reply has been written. */
    private void reply(CompletableFuture<? extends ServerFrame> result, String ref) {
        if (tail.isDone() && result.isDone() && loop.inEventLoop()) {
            writer.accept(result, ref);
            return;
        }
        if (++pending == MAX_PENDING) {
            channel.setAutoRead(false);
        }
        tail = CompletableFuture.allOf(tail, result).handleAsync((v, e) -> {
            writer.accept(result, ref);
            if (--pending == MAX_PENDING / 2 && !channel.isAutoRead()) {
                channel.setAutoRead(true);
            }
            return null;
        }, loop);
    }
}
