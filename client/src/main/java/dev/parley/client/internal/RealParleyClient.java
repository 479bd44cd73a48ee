package dev.parley.client.internal;

import dev.parley.client.ClientConfig;
import dev.parley.client.ClientStore;
import dev.parley.client.ConnectionState;
import dev.parley.client.ParleyClient;
import dev.parley.client.PendingSend;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.CloseCode;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.Message;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.Receipt;
import dev.parley.protocol.ReceiptStatus;
import dev.parley.protocol.ServerFrame;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import okhttp3.Request;

/**
 * The client. All its state is owned by one thread, the loop (a single-threaded scheduler): OkHttp's callbacks
 * and the public methods only post tasks to it, and it posts listener calls and future completions to the
 * app's callback executor through {@link Callbacks}. So nothing here needs a lock, OkHttp's threads never
 * wait for the app, and the app's callbacks never run concurrently.
 */
public final class RealParleyClient implements ParleyClient {
    private static final AtomicInteger CLIENTS = new AtomicInteger();

    private final ClientConfig config;
    private final ClientStore store;
    private final ScheduledThreadPoolExecutor loop;
    private final Callbacks callbacks;
    private final OkHttpClient http;
    private final boolean ownsHttp;
    private final Random random = new Random();
    private final Outbox outbox; // loop
    private final ReceiptQueue receipts; // loop
    private final GapFiller gaps; // loop
    private final Subscriptions subscriptions; // loop

    private volatile ConnectionState state = ConnectionState.closed("not connected yet", false);
    private volatile String userId;

    private Connection current; // loop
    private int connections; // loop
    private int attempt; // loop; reconnect attempts since the last healthy period
    private long connectedAtNanos = -1; // loop
    private ScheduledFuture<?> retryTask; // loop
    private ScheduledFuture<?> handshakeTask; // loop
    private String refusedToken; // loop; the last token the server answered 4001 to
    private boolean started; // loop
    private boolean closed; // loop
    /**
     * Loop. The server time up to which this client is known to have everything: a since_ts sync starts just
     * before it. It moves only when the syncs of a connection are done (to that connection's auth time) and on
     * pongs after that, never on a live frame that may have overtaken a gap.
     */
    private long lastTs;

    public RealParleyClient(ClientConfig config) {
        this.config = config;
        this.store = config.store();
        int n = CLIENTS.incrementAndGet();
        this.loop = new ScheduledThreadPoolExecutor(1, Threads.daemon("parley-client-" + n));
        this.loop.setRemoveOnCancelPolicy(true);
        this.callbacks = new Callbacks(config.listener(), config.callbackExecutor(), "parley-callbacks-" + n);
        this.ownsHttp = config.okHttpClient() == null;
        this.http = okHttpFor(config);
        this.outbox = new Outbox(this, store, config.outboxLimit());
        this.receipts = new ReceiptQueue(this);
        this.gaps = new GapFiller(this, config.syncPageLimit(), store.loadCursors());
        this.subscriptions = new Subscriptions(this, gaps);
        this.lastTs = store.loadLastTs();
    }

    // ---- public API: each call posts to the loop ----

    @Override
    public void connect() {
        post(() -> {
            if (started || closed) {
                return;
            }
            started = true;
            setState(ConnectionState.CONNECTING);
            openConnection();
        });
    }

    @Override
    public ConnectionState state() {
        return state;
    }

    @Override
    public String userId() {
        return userId;
    }

    @Override
    public CompletableFuture<Void> subscribe(Collection<String> conversationIds) {
        List<String> ids = Args.ids(conversationIds, "conversationIds");
        return onLoop(f -> subscriptions.add(ids, f, current != null && current.heartbeat != null ? current : null));
    }

    @Override
    public CompletableFuture<Void> unsubscribe(Collection<String> conversationIds) {
        List<String> ids = Args.ids(conversationIds, "conversationIds");
        return onLoop(f -> subscriptions.remove(ids, f, isAuthed(current) ? current : null));
    }

    @Override
    public CompletableFuture<ServerFrame.Ack> send(String conversationId, String body) {
        PendingSend send = new PendingSend(Args.id(conversationId, "conversationId"), UUID.randomUUID().toString(),
                Args.text(body, "body"));
        return onLoop(f -> outbox.add(send, f, isAuthed(current) ? current : null));
    }

    @Override
    public CompletableFuture<Void> markDelivered(String conversationId, List<String> messageIds) {
        return mark(conversationId, ReceiptStatus.DELIVERED, Args.ids(messageIds, "messageIds"), null);
    }

    @Override
    public CompletableFuture<Void> markRead(String conversationId, List<String> messageIds) {
        return mark(conversationId, ReceiptStatus.READ, Args.ids(messageIds, "messageIds"), null);
    }

    @Override
    public CompletableFuture<Void> markReadUpTo(String conversationId, long seq) {
        if (seq < 1) {
            throw new IllegalArgumentException("seq must be at least 1");
        }
        return mark(conversationId, ReceiptStatus.READ, null, seq);
    }

    private CompletableFuture<Void> mark(String conversationId, ReceiptStatus status, List<String> ids, Long upTo) {
        String conv = Args.id(conversationId, "conversationId");
        return onLoop(f -> receipts.add(conv, status, ids, upTo, f, isAuthed(current) ? current : null));
    }

    /** Runs {@code task} on the loop with a new future for it; the future fails at once if the client is closed. */
    private <T> CompletableFuture<T> onLoop(java.util.function.Consumer<CompletableFuture<T>> task) {
        CompletableFuture<T> future = new CompletableFuture<>();
        if (!post(() -> {
            if (closed) {
                fail(future, closedError());
            } else {
                task.accept(future);
            }
        })) {
            future.completeExceptionally(closedError());
        }
        return future;
    }

    @Override
    public void reconnectNow() {
        post(() -> {
            if (closed) {
                return;
            }
            if (retryTask != null && retryTask.cancel(false)) {
                retryTask = null;
                openConnection();
            } else if (current != null && current.heartbeat != null) {
                current.heartbeat.probe();
            }
        });
    }

    @Override
    public void close() {
        post(() -> shutDown("closed by the app", false));
    }

    // ---- connection lifecycle (loop) ----

    private void openConnection() {
        retryTask = null;
        int number = ++connections;
        CompletableFuture.supplyAsync(() -> {
            try {
                return config.tokenProvider().token();
            } catch (Exception e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        }, Threads.TOKEN_PROVIDERS).whenComplete((token, error) -> post(() -> onToken(number, token, error)));
    }

    private void onToken(int number, String token, Throwable error) {
        if (closed || number != connections) {
            return;
        }
        if (error != null) {
            Throwable cause = error.getCause() != null ? error.getCause() : error;
            retryLater("the token provider failed: " + cause);
            return;
        }
        if (token == null) {
            shutDown("auth failed: the token provider has no token", true);
            return;
        }
        if (token.equals(refusedToken)) {
            shutDown("auth failed: the server refused the token and the token provider has no fresh one", true);
            return;
        }
        Connection c = new Connection(number, token, this);
        current = c;
        c.webSocket = http.newWebSocket(new Request.Builder().url(config.url()).build(), c);
        handshakeTask = loop.schedule(() -> {
            if (current == c && !c.authed) {
                onLost(c, -1, "handshake timed out after " + config.handshakeTimeout().toMillis() + " ms");
            }
        }, config.handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    void onOpen(Connection c) {
        if (c != current) {
            return;
        }
        c.request("a", ref -> new ClientFrame.Auth(ref, c.token), reply -> onAuthReply(c, reply));
        subscriptions.resubscribe(c);
        c.heartbeat = new Heartbeat(loop, c, config.heartbeatInterval().toMillis(),
                pong -> onPong(c, pong), why -> onLost(c, -1, why));
        c.heartbeat.start();
    }

    private void onAuthReply(Connection c, ServerFrame reply) {
        if (reply instanceof ServerFrame.AuthOk) {
            ServerFrame.AuthOk ok = (ServerFrame.AuthOk) reply;
            c.authed = true;
            refusedToken = null;
            userId = ok.userId;
            c.authServerTime = ok.serverTime;
            c.maxBodyBytes = ok.limits == null ? 0 : ok.limits.maxBodyBytes;
            if (handshakeTask != null) {
                handshakeTask.cancel(false);
            }
            outbox.flush(c);
            receipts.flush(c);
            if (subscriptions.isEmpty()) {
                gaps.onAuthedWithoutSubscriptions(lastTs);
                becomeConnected();
            }
        } else if (reply instanceof ServerFrame.Error) {
            noteRefusal(c, (ServerFrame.Error) reply);
        }
    }

    /** A subscribe was answered (or every id refused): authenticated and subscribed is CONNECTED. */
    void onSubscribed(Connection c) {
        if (c.authed) {
            becomeConnected();
        }
    }

    private void becomeConnected() {
        if (state.kind() != ConnectionState.Kind.CONNECTED) {
            connectedAtNanos = System.nanoTime();
            setState(ConnectionState.CONNECTED);
        }
    }

    void onPush(Connection c, ServerFrame frame) {
        if (frame instanceof ServerFrame.New) {
            gaps.onLive(((ServerFrame.New) frame).message);
        } else if (frame instanceof ServerFrame.ReceiptNotice) {
            ServerFrame.ReceiptNotice n = (ServerFrame.ReceiptNotice) frame;
            gaps.onReceipt(new Receipt(n.messageId, n.conversationId, n.seq, n.userId, n.status(), n.ts));
        } else if (frame instanceof ServerFrame.Error) {
            noteRefusal(c, (ServerFrame.Error) frame);
        }
    }

    void noteRefusal(Connection c, ServerFrame.Error error) {
        if (error.code == ErrorCode.UNAUTHENTICATED || error.code == ErrorCode.TOKEN_EXPIRED) {
            refusedToken = c.token;
        }
        reportError(error.code, error.message);
    }

    void onUndecodable(Connection c, String text, ProtocolException e) {
        if (c == current) {
            reportError(ErrorCode.BAD_REQUEST, "cannot decode a server frame (" + e.getMessage() + "): "
                    + (text.length() > 200 ? text.substring(0, 200) + "..." : text));
        }
    }

    private void onPong(Connection c, ServerFrame pong) {
        if (pong instanceof ServerFrame.Pong && c.synced) {
            // Everything committed before this pong was either forwarded ahead of it or is in a finished sync.
            advanceLastTs(((ServerFrame.Pong) pong).serverTime);
        }
    }

    /** GapFiller has no sync left to run: this connection has everything up to its auth time. */
    void onSyncIdle() {
        Connection c = current;
        if (isAuthed(c) && (c.subscribedOnce || subscriptions.isEmpty())) {
            c.synced = true;
            advanceLastTs(c.authServerTime);
        }
    }

    private void advanceLastTs(long ts) {
        if (ts > lastTs) {
            lastTs = ts;
            store.saveLastTs(ts);
        }
    }

    /** The connection is over, however it ended. Idempotent: only the first report for the current one counts. */
    void onLost(Connection c, int code, String why) {
        if (c != current) {
            return;
        }
        current = null;
        if (c.heartbeat != null) {
            c.heartbeat.stop();
        }
        if (handshakeTask != null) {
            handshakeTask.cancel(false);
        }
        c.webSocket.cancel();
        outbox.onConnectionLost();
        receipts.onConnectionLost();
        gaps.onConnectionLost();
        if (closed) {
            return;
        }
        if (code == CloseCode.UNAUTHENTICATED.code()) {
            refusedToken = c.token;
        }
        if (code == CloseCode.NORMAL.code()) {
            shutDown("the server closed the connection (1000)", false);
            return;
        }
        retryLater(why);
    }

    private void retryLater(String why) {
        long healthyNanos = config.backoff().resetAfter().toNanos();
        if (connectedAtNanos >= 0 && System.nanoTime() - connectedAtNanos >= healthyNanos) {
            attempt = 0;
        }
        connectedAtNanos = -1;
        attempt++;
        Duration delay = config.backoff().delay(attempt, random);
        setState(ConnectionState.reconnecting(attempt, delay));
        retryTask = loop.schedule(this::openConnection, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void shutDown(String reason, boolean authFailure) {
        if (closed) {
            return;
        }
        closed = true;
        if (retryTask != null) {
            retryTask.cancel(false);
        }
        Connection c = current;
        current = null;
        if (c != null) {
            if (c.heartbeat != null) {
                c.heartbeat.stop();
            }
            c.webSocket.close(CloseCode.NORMAL.code(), null);
        }
        IllegalStateException why = new IllegalStateException("client closed: " + reason);
        outbox.failAll(why);
        receipts.failAll(why);
        subscriptions.failAll(why);
        setState(ConnectionState.closed(reason, authFailure));
        loop.shutdown();
        callbacks.shutdown();
        http.dispatcher().executorService().shutdown();
        if (ownsHttp) {
            http.connectionPool().evictAll();
        }
    }

    // ---- called by the parts (loop) ----

    Connection current() {
        return current;
    }

    boolean isCurrent(Connection c) {
        return c == current;
    }

    boolean isAuthed(Connection c) {
        return c != null && c == current && c.authed;
    }

    long lastTs() {
        return lastTs;
    }

    boolean isOwnUnacked(Message m) {
        return m.senderId != null && m.senderId.equals(userId) && outbox.contains(m.clientId);
    }

    void completeOwnFromMessage(Message m) {
        outbox.completeFromMessage(m);
    }

    void onAcked(ServerFrame.Ack ack, CompletableFuture<ServerFrame.Ack> future) {
        gaps.onOwnAck(ack.conversationId, ack.seq);
        callbacks.sent(ack, future);
    }

    /** Hands messages to the listener; the cursor is stored (and delivery confirmed) only after it returned. */
    void deliverMessages(String conversationId, List<Message> batch, long upToSeq) {
        callbacks.messages(batch, () -> {
            store.saveCursor(conversationId, upToSeq);
            post(() -> {
                if (!batch.isEmpty() && config.autoDelivered() && !closed) {
                    receipts.addAutoDelivered(conversationId, upToSeq, isAuthed(current) ? current : null);
                }
            });
        });
    }

    void saveBaseline(String conversationId, long seq) {
        store.saveCursor(conversationId, seq);
    }

    void deliverReceipt(Receipt r) {
        callbacks.receipt(r);
    }

    void reportError(ErrorCode code, String message) {
        callbacks.error(code, message);
    }

    <T> void succeed(CompletableFuture<T> future, T value) {
        callbacks.succeed(future, value);
    }

    void fail(CompletableFuture<?> future, Throwable error) {
        callbacks.fail(future, error);
    }

    void schedule(Runnable task, long delay, TimeUnit unit) {
        if (!closed) {
            loop.schedule(task, delay, unit);
        }
    }

    /** Runs a task on the loop; false once the client is shut down. */
    boolean post(Runnable task) {
        try {
            loop.execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    private void setState(ConnectionState next) {
        state = next;
        callbacks.state(next);
    }

    /**
     * The app's OkHttpClient (or a new one) with this client's timeouts and pings, and always its own dispatcher:
     * OkHttp counts a live WebSocket against its dispatcher's per-host limit (5), so sharing the app's would stall
     * the app's HTTP calls, or a sixth client.
     */
    private static OkHttpClient okHttpFor(ClientConfig config) {
        OkHttpClient base = config.okHttpClient() == null ? new OkHttpClient() : config.okHttpClient();
        long handshake = config.handshakeTimeout().toMillis();
        return base.newBuilder()
                .dispatcher(new Dispatcher())
                .pingInterval(config.heartbeatInterval().toMillis(), TimeUnit.MILLISECONDS)
                .connectTimeout(handshake, TimeUnit.MILLISECONDS)
                .readTimeout(handshake, TimeUnit.MILLISECONDS)
                .writeTimeout(handshake, TimeUnit.MILLISECONDS)
                .build();
    }

    private static IllegalStateException closedError() {
        return new IllegalStateException("client is closed");
    }
}
