package dev.parley.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.protocol.FrameCodec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A real WebSocket client for tests (the JDK's), recording every frame it receives in a queue. Frames are
 * JSON trees so tests can assert the wire format exactly as a client author would see it.
 */
public final class WsClient implements AutoCloseable {
    public static final Duration WAIT = Duration.ofSeconds(20);

    private final BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private final AtomicInteger pings = new AtomicInteger();
    private final WebSocket socket;
    private CompletableFuture<WebSocket> lastSend = CompletableFuture.completedFuture(null);

    private WsClient(String url) {
        this.socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .buildAsync(URI.create(url), new Recorder())
                .orTimeout(20, TimeUnit.SECONDS)
                .join();
    }

    public static WsClient connect(String url) {
        return new WsClient(url);
    }

    /** Connects, authenticates as the user and waits for auth:ok. */
    public static WsClient authed(TestServer server, String userId) {
        WsClient c = new WsClient(server.wsUrl());
        c.send(json("type", "auth", "ref", "a1", "token", server.token(userId)));
        c.expect("auth:ok");
        return c;
    }

    /** Subscribes and waits for the subscribed reply. */
    public JsonNode subscribe(String... conversationIds) {
        ObjectNode frame = json("type", "subscribe", "ref", "s-" + conversationIds.length);
        frame.putArray("conversation_ids").addAll(ids(conversationIds));
        send(frame);
        return expect("subscribed");
    }

    public JsonNode sendMessage(String conversationId, String clientId, String body) {
        send(message(conversationId, clientId, body, clientId));
        return expect("message:ack");
    }

    public static ObjectNode message(String conversationId, String clientId, String body, String ref) {
        return json("type", "message:send", "ref", ref, "conversation_id", conversationId, "client_id", clientId, "body", body);
    }

    private static List<JsonNode> ids(String... ids) {
        List<JsonNode> out = new ArrayList<>();
        for (String id : ids) {
            out.add(FrameCodec.mapper().getNodeFactory().textNode(id));
        }
        return out;
    }

    /** An object node from alternating field names and values (strings, numbers, booleans or nodes). */
    public static ObjectNode json(Object... namesAndValues) {
        ObjectNode node = FrameCodec.mapper().createObjectNode();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            String name = (String) namesAndValues[i];
            Object value = namesAndValues[i + 1];
            if (value instanceof JsonNode n) {
                node.set(name, n);
            } else if (value instanceof String s) {
                node.put(name, s);
            } else if (value instanceof Long l) {
                node.put(name, l);
            } else if (value instanceof Integer n) {
                node.put(name, n);
            } else if (value instanceof Boolean b) {
                node.put(name, b);
            } else if (value == null) {
                node.putNull(name);
            } else {
                throw new IllegalArgumentException("unsupported value " + value);
            }
        }
        return node;
    }

    public void send(JsonNode frame) {
        sendText(frame.toString());
    }

    /** Sends raw text as one frame, after every earlier send has gone out. */
    public synchronized void sendText(String text) {
        lastSend = lastSend.thenCompose(ws -> socket.sendText(text, true));
        lastSend.orTimeout(20, TimeUnit.SECONDS).join();
    }

    /** Sends text as several fragments (continuation frames). */
    public synchronized void sendFragments(String... parts) {
        for (int i = 0; i < parts.length; i++) {
            boolean last = i == parts.length - 1;
            String part = parts[i];
            lastSend = lastSend.thenCompose(ws -> socket.sendText(part, last));
        }
        lastSend.orTimeout(20, TimeUnit.SECONDS).join();
    }

    public synchronized void sendBinary(byte[] bytes) {
        lastSend = lastSend.thenCompose(ws -> socket.sendBinary(ByteBuffer.wrap(bytes), true));
        lastSend.orTimeout(20, TimeUnit.SECONDS).join();
    }

    /** The next frame, whatever it is; fails if none arrives within {@link #WAIT}. */
    public JsonNode next() {
        try {
            JsonNode frame = frames.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (frame == null) {
                throw new AssertionError("no frame within " + WAIT + (closeCode.isDone() ? "; closed with " + closeCode.join() : ""));
            }
            return frame;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The next frame, or null if none arrives within the timeout. */
    public JsonNode poll(Duration timeout) {
        try {
            return frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The next frame, which must be of the given type. */
    public JsonNode expect(String type) {
        JsonNode frame = next();
        if (!type.equals(frame.path("type").asText())) {
            throw new AssertionError("expected a " + type + " frame but got " + frame);
        }
        return frame;
    }

    /** Skips frames until one matches; fails if none does within {@link #WAIT}. */
    public JsonNode awaitFrame(Predicate<JsonNode> wanted) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                JsonNode frame = frames.poll(Math.max(1, (deadline - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
                if (frame != null && wanted.test(frame)) {
                    return frame;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("no matching frame within " + WAIT);
    }

    /**
     * Proves nothing else is queued: a ping's pong must be the very next frame. Replies are ordered, so any
     * frame already sent to this connection before the pong would come first.
     */
    public void expectNothingElse() {
        send(json("type", "ping", "ref", "fence"));
        JsonNode frame = next();
        if (!"pong".equals(frame.path("type").asText()) || !"fence".equals(frame.path("ref").asText())) {
            throw new AssertionError("expected nothing before the fence pong but got " + frame);
        }
    }

    /** Waits for the server to close the connection and returns the close code. */
    public int awaitClose() {
        return closeCode.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    }

    public boolean isClosed() {
        return closeCode.isDone();
    }

    /** True once the connection is closed and no received frame is left unread. */
    public boolean drainedAfterClose() {
        return closeCode.isDone() && frames.isEmpty();
    }

    public int pingsReceived() {
        return pings.get();
    }

    public List<JsonNode> drain() {
        List<JsonNode> out = new ArrayList<>();
        frames.drainTo(out);
        return out;
    }

    @Override
    public void close() {
        if (!closeCode.isDone()) {
            socket.abort();
        }
    }

    private final class Recorder implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    frames.add(FrameCodec.mapper().readTree(partial.toString()));
                } catch (Exception e) {
                    frames.add(json("type", "unparseable", "text", partial.toString()));
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
            pings.incrementAndGet();
            webSocket.request(1);
            return null; // the JDK answers with a pong by itself
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closeCode.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closeCode.complete(-1);
        }
    }
}
