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
 * &gt; me: hello …                          my message, typed while not connected: waiting to be sent
 * &gt; me: hello ✓                          my message, acknowledged (stored) by the server
 * ✓✓ hello (bob)                         my message was delivered to bob
 * read: hello (bob)                      bob read it
 * [error] code: message
 * </pre>
 * Every line goes through {@link TerminalText#escape}, so whatever a message holds it is one line and cannot
 * drive the terminal. Listener calls come one at a time on the SDK's callback thread; that thread alone touches
 * {@link #bodies}.
 */
final class ChatTranscript implements ParleyListener {
    private final PrintStream out;
    private final Map<String, String> bodies = new HashMap<>(); // callback thread; message id -> my text
    private final CountDownLatch closed = new CountDownLatch(1);
    private boolean ended; // guarded by this: after a fatal error nothing else is printed

    ChatTranscript(PrintStream out) {
        this.out = out;
    }

    synchronized void line(String text) {
        if (!ended) {
            out.println(TerminalText.escape(text));
        }
    }

    /** The chat cannot go on: prints the reason as the transcript's last line. */
    synchronized void fatal(String text) {
        line("[error] " + text);
        ended = true;
    }

    /** A line typed while not connected: the SDK keeps it in its outbox until it can be sent. */
    void pending(String body) {
        line("> me: " + body + " …");
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
