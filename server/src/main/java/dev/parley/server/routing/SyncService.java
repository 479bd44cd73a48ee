package dev.parley.server.routing;

import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ServerFrame;
import dev.parley.server.store.Store;
import dev.parley.server.store.SyncCursor;
import java.util.concurrent.CompletableFuture;

/** Gap fill: turns a sync request into a store query and its page into a sync:result. */
public final class SyncService {
    private final Store store;

    public SyncService(Store store) {
        this.store = store;
    }

    public CompletableFuture<ServerFrame> sync(String userId, ClientFrame.Sync request) {
        SyncCursor cursor;
        try {
            cursor = request.sinceTs != null ? SyncCursor.sinceTs(request.sinceTs)
                    : request.cursors != null ? SyncCursor.cursors(request.cursors, request.receiptsSinceTs)
                    : SyncCursor.decode(request.cursor);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return store.sync(userId, cursor, request.effectiveLimit()).thenApply(page -> new ServerFrame.SyncResult(
                request.ref, page.messages(), page.receipts(), page.next() != null,
                page.next() == null ? null : page.next().encode()));
    }
}
