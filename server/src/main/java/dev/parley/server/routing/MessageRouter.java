package dev.parley.server.routing;

import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.Message;
import dev.parley.protocol.ServerFrame;
import dev.parley.server.store.ReceiptCommand;
import dev.parley.server.store.Rejection;
import dev.parley.server.store.SendCommand;
import dev.parley.server.store.Store;

import java.util.concurrent.CompletableFuture;

/**
 * The send and receipt paths: validate, commit through the store, answer. Broadcasting happens after the commit,
 * through the store's commit listener ({@link BusPublisher}), so nothing is sent that is not durable.
 */
public final class MessageRouter {
    private final Store store;
    private final int maxBodyBytes;
    /** Set by the shutdown sequence; read by every event loop. */
    private volatile boolean draining;

    public MessageRouter(Store store, int maxBodyBytes) {
        this.store = store;
        this.maxBodyBytes = maxBodyBytes;
    }

    /** From now on sends are answered with unavailable; those already accepted still commit. */
    public void startDraining() {
        draining = true;
    }

    public CompletableFuture<ServerFrame> send(String userId, String connectionId, ClientFrame.Send send) {
        if (draining) {
            return CompletableFuture.failedFuture(new Rejection(ErrorCode.UNAVAILABLE, "the server is shutting down; retry on a new connection"));
        }
        int bytes = utf8Length(send.body);
        if (bytes < 0) {
            return CompletableFuture.failedFuture(new Rejection(ErrorCode.BAD_REQUEST,
                    "body is not valid Unicode (a lone surrogate cannot be stored as sent)"));
        }
        if (bytes > maxBodyBytes) {
            return CompletableFuture.failedFuture(new Rejection(ErrorCode.TOO_LARGE,
                    "body is " + bytes + " bytes; the limit is " + maxBodyBytes));
        }
        return store.append(new SendCommand(userId, send.conversationId, send.clientId, send.body, connectionId))
                .thenApply(outcome -> ack(send.ref, outcome.message()));
    }

    private static ServerFrame ack(String ref, Message m) {
        return new ServerFrame.Ack(ref, m.conversationId, m.clientId, m.messageId, m.seq, m.ts);
    }

    /** Stores a receipt; answers {@code ok} only when the request had a ref (else success is silent: null). */
    public CompletableFuture<ServerFrame> mark(String userId, ClientFrame.Mark mark) {
        if (draining) {
            return CompletableFuture.failedFuture(new Rejection(ErrorCode.UNAVAILABLE, "the server is shutting down; retry on a new connection"));
        }
        return store.addReceipts(new ReceiptCommand(userId, mark.conversationId, mark.status(), mark.messageIds, mark.upToSeq))
                .thenApply(created -> mark.ref == null ? null : new ServerFrame.Ok(mark.ref));
    }

    /**
     * Counts UTF-8 bytes without encoding (a body can be 16 KiB, and this runs for every send); -1 when the text
     * has a lone surrogate, which UTF-8 cannot carry and the store would silently replace.
     */
    static int utf8Length(String s) {
        int bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                return -1;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

}
