package dev.parley.server.store;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.protocol.ErrorCode;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a sync stands: the opaque {@code next_cursor} clients hand back. Either by time ({@code sinceTs}, with the
 * last (conversation, seq) returned) or by per-conversation seq cursors; plus the receipts position.
 */
public record SyncCursor(
        @JsonProperty("s") Long sinceTs,
        @JsonProperty("c") TreeMap<String, Long> cursors,
        @JsonProperty("ac") String afterConversation,
        @JsonProperty("as") long afterSeq,
        @JsonProperty("rs") Long receiptsSinceTs,
        @JsonProperty("rr") long afterReceipt,
        @JsonProperty("md") boolean messagesDone) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static SyncCursor sinceTs(long sinceTs) {
        return new SyncCursor(sinceTs, null, "", 0, sinceTs, 0, false);
    }

    /** Cursor sync; receipts are included only when {@code receiptsSinceTs} is given. */
    public static SyncCursor cursors(Map<String, Long> cursors, Long receiptsSinceTs) {
        return new SyncCursor(null, new TreeMap<>(cursors), null, 0, receiptsSinceTs, 0, false);
    }

    public boolean byTime() {
        return sinceTs != null;
    }

    public boolean wantsReceipts() {
        return receiptsSinceTs != null;
    }

    public String encode() {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(JSON.writeValueAsBytes(this));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static SyncCursor decode(String text) {
        try {
            SyncCursor c = JSON.readValue(Base64.getUrlDecoder().decode(text), SyncCursor.class);
            if ((c.sinceTs == null) == (c.cursors == null)) {
                throw new IllegalArgumentException("neither form");
            }
            return c;
        } catch (Exception e) {
            throw new Rejection(ErrorCode.BAD_REQUEST, "cursor is not a next_cursor this server issued");
        }
    }
}
