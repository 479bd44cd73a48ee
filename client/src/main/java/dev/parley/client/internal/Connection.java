package dev.parley.client.internal;

import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.FrameCodec;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.ServerFrame;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;

/**
 * One WebSocket and its request/reply bookkeeping. OkHttp's callbacks only decode and hand over to the client's
 * loop thread; everything else here is owned by that thread.
 */
final class Connection extends WebSocketListener {
    final int number;
    final String token;
    private final RealParleyClient client;
    WebSocket webSocket; // loop; set right after creation
    boolean authed; // loop
    int maxBodyBytes; // loop; from auth:ok, 0 until then
    boolean subscribedOnce; // loop
    boolean synced; // loop; the syncs after the first subscribe are done
    long authServerTime; // loop; server_time of auth:ok
    Heartbeat heartbeat; // loop; set on open
    long lastInboundNanos = System.nanoTime(); // loop
    private int nextRef; // loop
    private final Map<String, Consumer<ServerFrame>> replies = new HashMap<>(); // loop

    Connection(int number, String token, RealParleyClient client) {
        this.number = number;
        this.token = token;
        this.client = client;
    }

    /** Sends a request with a fresh ref; {@code onReply} gets the answer carrying that ref (success or error). */
    void request(String refPrefix, Function<String, ClientFrame> frame, Consumer<ServerFrame> onReply) {
        String ref = refPrefix + (++nextRef);
        replies.put(ref, onReply);
        send(frame.apply(ref));
    }

    void send(ClientFrame frame) {
        if (!webSocket.send(FrameCodec.encode(frame))) {
            // OkHttp's 16 MiB outbound buffer is full or the socket is closing: this connection is no use.
            client.post(() -> client.onLost(this, -1, "outbound buffer full or socket closing"));
        }
    }

    private void dispatch(ServerFrame frame) {
        lastInboundNanos = System.nanoTime();
        if (frame.ref != null) {
            Consumer<ServerFrame> onReply = replies.remove(frame.ref);
            if (onReply != null) {
                onReply.accept(frame);
                return;
            }
        }
        client.onPush(this, frame);
    }

    @Override
    public void onOpen(WebSocket webSocket, Response response) {
        client.post(() -> client.onOpen(this));
    }

    @Override
    public void onMessage(WebSocket webSocket, String text) {
        ServerFrame frame;
        try {
            frame = FrameCodec.decodeServerFrame(text);
        } catch (ProtocolException e) {
            client.post(() -> client.onUndecodable(this, text, e));
            return;
        }
        client.post(() -> {
            if (client.isCurrent(this)) {
                dispatch(frame);
            }
        });
    }

    @Override
    public void onClosing(WebSocket webSocket, int code, String reason) {
        webSocket.close(1000, null);
        client.post(() -> client.onLost(this, code, "closed by the server: " + code + " " + reason));
    }

    @Override
    public void onClosed(WebSocket webSocket, int code, String reason) {
        client.post(() -> client.onLost(this, code, "closed: " + code + " " + reason));
    }

    @Override
    public void onFailure(WebSocket webSocket, Throwable t, Response response) {
        String why = response != null && response.code() != 101
                ? "upgrade refused: HTTP " + response.code()
                : String.valueOf(t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage());
        client.post(() -> client.onLost(this, -1, why));
    }
}
