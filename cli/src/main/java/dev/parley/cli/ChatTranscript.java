package dev.parley.cli;

import dev.parley.client.ConnectionState;
import dev.parley.client.ParleyListener;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.Message;
import dev.parley.protocol.Receipt;
import dev.parley.protocol.ReceiptStatus;
import dev.parley.protocol.ServerFrame;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Prints the chat, one stable line per event, so people and tests can read it:
 * <pre>
 * [state] CONNECTED                      connection state changes (RECONNECTING attempt=1 delay=312ms, ...)
 * &lt; bob: hi                              a message from someone else
 * &gt; me: hello ✓                          my message, acknowledged (stored) by the server
 * ✓✓ hello (bob)                         my message was delivered to bob
 * read: hello (bob)                      bob read it
 * [error] code: message
 * </pre>
 * Listener calls come one at a time on the SDK's callback thread; that thread alone touches {@link #bodies}.
 */
final class ChatTranscript implements ParleyListener {
    private final PrintStream out;
    private final Map<String, String> bodies = new HashMap<>(); // callback thread; message id -> my text
    private final CountDownLatch closed = new CountDownLatch(1);

    ChatTranscript(PrintStream out) {
        this.out = out;
    }

    synchronized void line(String text) {
        out.println(text);
    }

    /** Runs on the callback thread, when a send's future completes. */
    void sent(ServerFrame.Ack ack, String body) {
        bodies.put(ack.messageId, body);
        line("> me: " + body + " ✓");
    }

    @Override
    public void onStateChanged(ConnectionState next) {
        line("[state] " + next);
        if (next.kind() == ConnectionState.Kind.CLOSED) {
            closed.countDown();
        }
    }

    @Override
    public void onMessage(Message m) {
        line("< " + m.senderId + ": " + m.body);
    }

    @Override
    public void onReceipt(Receipt r) {
        String body = bodies.getOrDefault(r.messageId, r.messageId);
        line(r.status == ReceiptStatus.DELIVERED ? "✓✓ " + body + " (" + r.userId + ")" : "read: " + body + " (" + r.userId + ")");
    }

    @Override
    public void onError(ErrorCode code, String message) {
        line("[error] " + code.wire() + ": " + message);
    }

    boolean awaitClosed(long timeout, TimeUnit unit) throws InterruptedException {
        return closed.await(timeout, unit);
    }
}
