package dev.parley.server.store;

import dev.parley.protocol.Message;
import dev.parley.protocol.Receipt;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Persistence: conversations, members, messages, receipts and send dedup. The only place with SQL.
 *
 * <p>Every method returns at once; the work runs on the store's own threads, never the caller's. Writes are
 * group-committed by one writer; after each commit the {@link CommitListener} hears what it created, in commit
 * order, before the writes' futures complete. Futures fail with {@link Rejection} for requests the store refuses.
 */
public interface Store extends AutoCloseable {

    /** Commits a message, or finds the one already committed for the same (sender, client_id). */
    CompletableFuture<SendOutcome> append(SendCommand command);

    /** Stores receipts; the future holds only those that are new (the ones to forward). */
    CompletableFuture<List<Receipt>> addReceipts(ReceiptCommand command);

    /** Creates a conversation; with {@code direct}, finds the one 1:1 conversation of the two users first. */
    CompletableFuture<ConversationCreated> createConversation(String creatorId, List<String> memberIds, String title, boolean direct);

    /** Adds members to a conversation {@code byUserId} is a member of. */
    CompletableFuture<Conversation> addMembers(String conversationId, String byUserId, List<String> memberIds);

    /** Where each conversation stands, if the user is a member of all of them (else FORBIDDEN naming the others). */
    CompletableFuture<List<Position>> positions(String userId, List<String> conversationIds);

    CompletableFuture<List<Conversation>> conversationsOf(String userId);

    /** Messages before {@code beforeSeq} (or the newest), ascending; the user must be a member. */
    CompletableFuture<HistoryPage> history(String userId, String conversationId, Long beforeSeq, int limit);

    CompletableFuture<SyncPage> sync(String userId, SyncCursor cursor, int limit);

    /** Completes with true when a write transaction commits; used by the health check. */
    CompletableFuture<Boolean> checkWritable();

    /** Waits for the writes already queued to commit, then refuses new ones. */
    void drain(long timeoutMs) throws InterruptedException;

    @Override
    void close();

    record Position(String conversationId, long lastSeq, long lastTs) {
    }

    record HistoryPage(List<Message> messages, boolean hasMore) {
    }

    record SyncPage(List<Message> messages, List<Receipt> receipts, SyncCursor next) {
    }

    record ConversationCreated(Conversation conversation, boolean created) {
    }
}
