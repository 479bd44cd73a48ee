package dev.parley.client.testing;

import dev.parley.client.ConnectionState;
import dev.parley.client.ParleyListener;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.Message;
import dev.parley.protocol.Receipt;
import dev.parley.protocol.ServerFrame;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/** A listener that records everything, for tests to wait on and assert; also checks it is never called concurrently. */
public final class Recorder implements ParleyListener {
    public record TimedState(ConnectionState state, long atNanos) {
    }

    public final List<TimedState> states = new CopyOnWriteArrayList<>();
    public final List<Message> messages = new CopyOnWriteArrayList<>();
    public final List<Receipt> receipts = new CopyOnWriteArrayList<>();
    public final List<ServerFrame.Ack> sent = new CopyOnWriteArrayList<>();
    public final List<String> errors = new CopyOnWriteArrayList<>();
    private final AtomicBoolean inCallback = new AtomicBoolean();
    public volatile boolean overlapped;

    private void enter() {
        if (!inCallback.compareAndSet(false, true)) {
            overlapped = true;
        }
    }

    private void exit() {
        inCallback.set(false);
    }

    @Override
    public void onStateChanged(ConnectionState state) {
        enter();
        states.add(new TimedState(state, System.nanoTime()));
        exit();
    }

    @Override
    public void onMessage(Message message) {
        enter();
        messages.add(message);
        exit();
    }

    @Override
    public void onReceipt(Receipt receipt) {
        enter();
        receipts.add(receipt);
        exit();
    }

    @Override
    public void onSent(ServerFrame.Ack ack) {
        enter();
        sent.add(ack);
        exit();
    }

    @Override
    public void onError(ErrorCode code, String message) {
        enter();
        errors.add(code.wire() + ": " + message);
        exit();
    }

    public ConnectionState lastState() {
        return states.isEmpty() ? null : states.get(states.size() - 1).state();
    }

    public boolean is(ConnectionState.Kind kind) {
        ConnectionState s = lastState();
        return s != null && s.kind() == kind;
    }

    public List<String> bodies(String conversationId) {
        List<String> out = new ArrayList<>();
        for (Message m : messages) {
            if (m.conversationId.equals(conversationId)) {
                out.add(m.body);
            }
        }
        return out;
    }

    public List<ConnectionState> reconnecting() {
        List<ConnectionState> out = new ArrayList<>();
        for (TimedState s : states) {
            if (s.state().kind() == ConnectionState.Kind.RECONNECTING) {
                out.add(s.state());
            }
        }
        return out;
    }
}
