package dev.parley.client.internal;

import dev.parley.client.ConnectionState;
import dev.parley.client.ParleyListener;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.Message;
import dev.parley.protocol.Receipt;
import dev.parley.protocol.ServerFrame;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Everything the app sees, listener calls and future completions alike, goes through here: in order, one at a
 * time, on the app's executor (or the client's own daemon thread), never on the loop or OkHttp's threads.
 */
final class Callbacks {
    private final ParleyListener listener;
    private final SerialExecutor serial;
    private final ExecutorService ownThread; // null when the app gave an executor

    Callbacks(ParleyListener listener, Executor appExecutor, String threadName) {
        this.listener = listener;
        this.ownThread = appExecutor == null ? Executors.newSingleThreadExecutor(Threads.daemon(threadName)) : null;
        this.serial = new SerialExecutor(appExecutor == null ? ownThread : appExecutor);
    }

    void state(ConnectionState next) {
        serial.execute(() -> listener.onStateChanged(next));
    }

    /** Hands a batch to the listener, then runs {@code afterHandled} (still on the callback thread). */
    void messages(List<Message> batch, Runnable afterHandled) {
        serial.execute(() -> {
            for (Message m : batch) {
                listener.onMessage(m);
            }
            afterHandled.run();
        });
    }

    void receipt(Receipt r) {
        serial.execute(() -> listener.onReceipt(r));
    }

    void error(ErrorCode code, String message) {
        serial.execute(() -> listener.onError(code, message));
    }

    void sent(ServerFrame.Ack ack, CompletableFuture<ServerFrame.Ack> future) {
        serial.execute(() -> {
            listener.onSent(ack);
            if (future != null) {
                future.complete(ack);
            }
        });
    }

    <T> void succeed(CompletableFuture<T> future, T value) {
        serial.execute(() -> future.complete(value));
    }

    void fail(CompletableFuture<?> future, Throwable error) {
        serial.execute(() -> future.completeExceptionally(error));
    }

    /** Lets the queued callbacks run, then ends the client's own callback thread. */
    void shutdown() {
        if (ownThread != null) {
            ownThread.shutdown();
        }
    }
}
