package dev.parley.server.store;

import dev.parley.protocol.ReceiptStatus;
import java.util.List;

/** A recipient's receipt for explicit messages ({@code messageIds}) or every message up to {@code upToSeq}. */
public record ReceiptCommand(String userId, String conversationId, ReceiptStatus status, List<String> messageIds, Long upToSeq) {
}
