package dev.parley.server.store.sqlite;

import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.Message;
import dev.parley.protocol.Receipt;
import dev.parley.protocol.ReceiptStatus;
import dev.parley.server.store.Conversation;
import dev.parley.server.store.Rejection;
import dev.parley.server.store.Store.HistoryPage;
import dev.parley.server.store.Store.Position;
import dev.parley.server.store.Store.SyncPage;
import dev.parley.server.store.SyncCursor;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The read side of the SQLite store: plain queries on a pooled connection, safe on any reader thread. */
final class SqliteReads {
    private static final String MESSAGE_COLUMNS = "message_id, conversation_id, seq, ts, sender_id, client_id, body";

    private SqliteReads() {
    }

    static Message message(ResultSet rs) throws SQLException {
        return new Message(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4),
                rs.getString(5), rs.getString(6), rs.getString(7));
    }

    static List<Position> positions(Connection c, String userId, List<String> conversationIds) throws SQLException {
        Map<String, Position> found = new HashMap<>();
        try (PreparedStatement st = c.prepareStatement(
                "SELECT c.id, c.last_seq, c.last_ts FROM conversations c "
                        + "JOIN members m ON m.conversation_id = c.id AND m.user_id = ? WHERE c.id = ?")) {
            for (String id : conversationIds) {
                st.setString(1, userId);
                st.setString(2, id);
                try (ResultSet rs = st.executeQuery()) {
                    if (rs.next()) {
                        found.put(id, new Position(rs.getString(1), rs.getLong(2), rs.getLong(3)));
                    }
                }
            }
        }
        List<String> refused = new ArrayList<>();
        List<Position> positions = new ArrayList<>();
        for (String id : conversationIds) {
            Position p = found.get(id);
            if (p == null) {
                if (!refused.contains(id)) {
                    refused.add(id);
                }
            } else if (!positions.contains(p)) {
                positions.add(p);
            }
        }
        if (!refused.isEmpty()) {
            throw new Rejection(ErrorCode.FORBIDDEN, "not a member of " + String.join(", ", refused), refused);
        }
        return positions;
    }

    static List<Conversation> conversationsOf(Connection c, String userId) throws SQLException {
        Map<String, List<String>> members = new LinkedHashMap<>();
        try (PreparedStatement st = c.prepareStatement(
                "SELECT m.conversation_id, m.user_id FROM members m WHERE m.conversation_id IN "
                        + "(SELECT conversation_id FROM members WHERE user_id = ?) ORDER BY m.joined_at, m.user_id")) {
            st.setString(1, userId);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    members.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
                }
            }
        }
        List<Conversation> out = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement(
                "SELECT c.id, c.title, c.direct_key, c.last_seq, c.last_ts FROM conversations c "
                        + "JOIN members m ON m.conversation_id = c.id AND m.user_id = ? ORDER BY c.last_ts DESC, c.created_at DESC")) {
            st.setString(1, userId);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    String id = rs.getString(1);
                    out.add(new Conversation(id, rs.getString(2), rs.getString(3) != null,
                            List.copyOf(members.getOrDefault(id, List.of())), rs.getLong(4), rs.getLong(5)));
                }
            }
        }
        return out;
    }

    /** The conversation, or null if it does not exist. */
    static Conversation conversation(Connection c, String id) throws SQLException {
        List<String> members = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement(
                "SELECT user_id FROM members WHERE conversation_id = ? ORDER BY joined_at, user_id")) {
            st.setString(1, id);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    members.add(rs.getString(1));
                }
            }
        }
        try (PreparedStatement st = c.prepareStatement(
                "SELECT id, title, direct_key, last_seq, last_ts FROM conversations WHERE id = ?")) {
            st.setString(1, id);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                return new Conversation(rs.getString(1), rs.getString(2), rs.getString(3) != null,
                        List.copyOf(members), rs.getLong(4), rs.getLong(5));
            }
        }
    }

    private static void requireMember(Connection c, String conversationId, String userId) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT 1 FROM members WHERE conversation_id = ? AND user_id = ?")) {
            st.setString(1, conversationId);
            st.setString(2, userId);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    throw new Rejection(ErrorCode.FORBIDDEN, "not a member of conversation " + conversationId);
                }
            }
        }
    }

    static HistoryPage history(Connection c, String userId, String conversationId, Long beforeSeq, int limit)
            throws SQLException {
        requireMember(c, conversationId, userId);
        List<Message> page = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement(
                "SELECT " + MESSAGE_COLUMNS + " FROM messages WHERE conversation_id = ? AND seq < ? "
                        + "ORDER BY seq DESC LIMIT ?")) {
            st.setString(1, conversationId);
            st.setLong(2, beforeSeq == null ? Long.MAX_VALUE : beforeSeq);
            st.setInt(3, limit + 1);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    page.add(message(rs));
                }
            }
        }
        boolean hasMore = page.size() > limit;
        if (hasMore) {
            page.remove(page.size() - 1);
        }
        Collections.reverse(page);
        return new HistoryPage(page, hasMore);
    }

    static SyncPage sync(Connection c, String userId, SyncCursor cursor, int limit) throws SQLException {
        List<Message> messages = new ArrayList<>();
        SyncCursor next = cursor;
        if (!cursor.messagesDone()) {
            next = cursor.byTime()
                    ? messagesSince(c, userId, cursor, limit, messages)
                    : messagesAfterCursors(c, userId, cursor, limit, messages);
        }
        List<Receipt> receipts = new ArrayList<>();
        long afterReceipt = next.afterReceipt();
        boolean receiptsDone = true;
        if (cursor.wantsReceipts() && cursor.afterReceipt() >= 0) {
            afterReceipt = receiptsSince(c, userId, cursor, limit, receipts);
            receiptsDone = afterReceipt < 0;
        }
        boolean messagesDone = next.messagesDone();
        if (messagesDone && receiptsDone) {
            return new SyncPage(messages, receipts, null);
        }
        return new SyncPage(messages, receipts, new SyncCursor(next.sinceTs(), next.cursors(), next.afterConversation(),
                next.afterSeq(), next.receiptsSinceTs(), receiptsDone ? -1 : afterReceipt, messagesDone));
    }

    private static SyncCursor messagesSince(Connection c, String userId, SyncCursor cursor, int limit, List<Message> out)
            throws SQLException {
        try (PreparedStatement st = c.prepareStatement(
                "SELECT m.message_id, m.conversation_id, m.seq, m.ts, m.sender_id, m.client_id, m.body FROM messages m "
                        + "JOIN members mb ON mb.conversation_id = m.conversation_id AND mb.user_id = ? "
                        + "WHERE m.ts >= ? AND (m.conversation_id > ? OR (m.conversation_id = ? AND m.seq > ?)) "
                        + "ORDER BY m.conversation_id, m.seq LIMIT ?")) {
            st.setString(1, userId);
            st.setLong(2, cursor.sinceTs());
            st.setString(3, cursor.afterConversation());
            st.setString(4, cursor.afterConversation());
            st.setLong(5, cursor.afterSeq());
            st.setInt(6, limit + 1);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(message(rs));
                }
            }
        }
        boolean more = out.size() > limit;
        if (!more) {
            return withMessagesDone(cursor);
        }
        out.remove(out.size() - 1);
        Message last = out.get(out.size() - 1);
        return new SyncCursor(cursor.sinceTs(), null, last.conversationId, last.seq, cursor.receiptsSinceTs(),
                cursor.afterReceipt(), false);
    }

    private static SyncCursor messagesAfterCursors(Connection c, String userId, SyncCursor cursor, int limit,
                                                   List<Message> out) throws SQLException {
        positions(c, userId, new ArrayList<>(cursor.cursors().keySet())); // membership of every listed conversation
        TreeMap<String, Long> advanced = new TreeMap<>(cursor.cursors());
        boolean more = false;
        try (PreparedStatement st = c.prepareStatement(
                "SELECT " + MESSAGE_COLUMNS + " FROM messages WHERE conversation_id = ? AND seq > ? ORDER BY seq LIMIT ?")) {
            for (Map.Entry<String, Long> e : cursor.cursors().entrySet()) {
                int room = limit - out.size();
                if (room <= 0) {
                    more = true;
                    break;
                }
                st.setString(1, e.getKey());
                st.setLong(2, e.getValue());
                st.setInt(3, room + 1);
                int before = out.size();
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        out.add(message(rs));
                    }
                }
                if (out.size() - before > room) {
                    out.remove(out.size() - 1);
                    more = true;
                }
                if (out.size() > before) {
                    advanced.put(e.getKey(), out.get(out.size() - 1).seq);
                }
                if (more) {
                    break;
                }
            }
        }
        if (!more) {
            return withMessagesDone(cursor);
        }
        return new SyncCursor(null, advanced, null, 0, cursor.receiptsSinceTs(), cursor.afterReceipt(), false);
    }

    private static SyncCursor withMessagesDone(SyncCursor c) {
        return new SyncCursor(c.sinceTs(), c.cursors(), c.afterConversation(), c.afterSeq(), c.receiptsSinceTs(),
                c.afterReceipt(), true);
    }

    /** Returns the rowid to continue after, or -1 when every receipt has been listed. */
    private static long receiptsSince(Connection c, String userId, SyncCursor cursor, int limit, List<Receipt> out)
            throws SQLException {
        long lastRowid = cursor.afterReceipt();
        String scope = cursor.byTime() ? "" : " AND conversation_id IN (" + placeholders(cursor.cursors().size()) + ")";
        try (PreparedStatement st = c.prepareStatement(
                "SELECT rowid, message_id, conversation_id, seq, user_id, status, ts FROM receipts "
                        + "WHERE sender_id = ? AND ts >= ? AND rowid > ?" + scope + " ORDER BY rowid LIMIT ?")) {
            int i = 1;
            st.setString(i++, userId);
            st.setLong(i++, cursor.receiptsSinceTs());
            st.setLong(i++, cursor.afterReceipt());
            if (!cursor.byTime()) {
                for (String id : cursor.cursors().keySet()) {
                    st.setString(i++, id);
                }
            }
            st.setInt(i, limit + 1);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next() && out.size() < limit + 1) {
                    if (out.size() < limit) {
                        lastRowid = rs.getLong(1);
                    }
                    out.add(new Receipt(rs.getString(2), rs.getString(3), rs.getLong(4), rs.getString(5),
                            ReceiptStatus.fromWire(rs.getString(6)), rs.getLong(7)));
                }
            }
        }
        if (out.size() > limit) {
            out.remove(out.size() - 1);
            return lastRowid;
        }
        return -1;
    }

    private static String placeholders(int n) {
        return String.join(",", Collections.nCopies(n, "?"));
    }
}
