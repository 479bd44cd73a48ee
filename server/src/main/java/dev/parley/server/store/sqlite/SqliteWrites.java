package dev.parley.server.store.sqlite;

import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.Message;
import dev.parley.protocol.Receipt;
import dev.parley.protocol.ReceiptStatus;
import dev.parley.server.store.CommitListener;
import dev.parley.server.store.GroupCommitWriter.Tx;
import dev.parley.server.store.Ids;
import dev.parley.server.store.ReceiptCommand;
import dev.parley.server.store.Rejection;
import dev.parley.server.store.SendCommand;
import dev.parley.server.store.SendOutcome;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The write side of the SQLite store. Every method runs on the writer thread, inside the writer's transaction;
 * checks come before writes so a {@link Rejection} leaves nothing behind.
 */
final class SqliteWrites {
    /** A conversation's head as of the last statement run by this writer. */
    private record Head(long seq, long ts) {
    }

    private final CommitListener listener;
    // Owned by the writer thread; cleared on rollback because it may hold heads of a rolled-back batch.
    private final Map<String, Head> heads = new HashMap<>();

    SqliteWrites(CommitListener listener) {
        this.listener = listener;
    }

    void forgetCachedState() {
        heads.clear();
    }

    SendOutcome append(Tx tx, SendCommand cmd) throws SQLException {
        Connection c = tx.connection();
        Message existing = findByClientId(c, cmd.senderId(), cmd.clientId());
        if (existing != null) {
            if (!existing.conversationId.equals(cmd.conversationId())) {
                throw new Rejection(ErrorCode.CONFLICT, "client_id was already used for another conversation");
            }
            return new SendOutcome(existing, false);
        }
        requireMember(c, cmd.conversationId(), cmd.senderId());
        Head head = head(c, cmd.conversationId());
        Head next = new Head(head.seq + 1, Math.max(System.currentTimeMillis(), head.ts));
        Message message = new Message(Ids.messageId(), cmd.conversationId(), next.seq, next.ts,
                cmd.senderId(), cmd.clientId(), cmd.body());
        try (PreparedStatement st = c.prepareStatement(
                "INSERT INTO messages (message_id, conversation_id, seq, ts, sender_id, client_id, body) VALUES (?,?,?,?,?,?,?)")) {
            st.setString(1, message.messageId);
            st.setString(2, message.conversationId);
            st.setLong(3, message.seq);
            st.setLong(4, message.ts);
            st.setString(5, message.senderId);
            st.setString(6, message.clientId);
            st.setString(7, message.body);
            st.executeUpdate();
        }
        try (PreparedStatement st = c.prepareStatement("UPDATE conversations SET last_seq = ?, last_ts = ? WHERE id = ?")) {
            st.setLong(1, next.seq);
            st.setLong(2, next.ts);
            st.setString(3, cmd.conversationId());
            st.executeUpdate();
        }
        heads.put(cmd.conversationId(), next);
        tx.afterCommit(() -> listener.messageCommitted(message, cmd.origin()));
        return new SendOutcome(message, true);
    }

    List<Receipt> addReceipts(Tx tx, ReceiptCommand cmd) throws SQLException {
        Connection c = tx.connection();
        requireMember(c, cmd.conversationId(), cmd.userId());
        List<Target> targets = cmd.messageIds() != null
                ? targetsById(c, cmd)
                : targetsUpTo(c, cmd);
        List<ReceiptStatus> statuses = cmd.status() == ReceiptStatus.READ
                ? List.of(ReceiptStatus.DELIVERED, ReceiptStatus.READ)
                : List.of(ReceiptStatus.DELIVERED);
        long now = System.currentTimeMillis();
        List<Receipt> created = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement(
                "INSERT INTO receipts (message_id, user_id, status, ts, conversation_id, seq, sender_id) "
                        + "VALUES (?,?,?,?,?,?,?) ON CONFLICT DO NOTHING")) {
            for (Target t : targets) {
                if (t.senderId.equals(cmd.userId())) {
                    continue; // receipts for one's own messages mean nothing
                }
                for (ReceiptStatus status : statuses) {
                    st.setString(1, t.messageId);
                    st.setString(2, cmd.userId());
                    st.setString(3, status.wire());
                    st.setLong(4, now);
                    st.setString(5, cmd.conversationId());
                    st.setLong(6, t.seq);
                    st.setString(7, t.senderId);
                    if (st.executeUpdate() == 1) {
                        Receipt receipt = new Receipt(t.messageId, cmd.conversationId(), t.seq, cmd.userId(), status, now);
                        created.add(receipt);
                        tx.afterCommit(() -> listener.receiptCommitted(receipt, t.senderId));
                    }
                }
            }
        }
        if (cmd.upToSeq() != null) {
            for (ReceiptStatus status : statuses) {
                raiseMark(c, cmd, status);
            }
        }
        return created;
    }

    private record Target(String messageId, long seq, String senderId) {
    }

    private List<Target> targetsById(Connection c, ReceiptCommand cmd) throws SQLException {
        Set<String> wanted = new LinkedHashSet<>(cmd.messageIds());
        List<Target> found = new ArrayList<>(wanted.size());
        try (PreparedStatement st = c.prepareStatement(
                "SELECT message_id, seq, sender_id FROM messages WHERE message_id = ? AND conversation_id = ?")) {
            for (String id : wanted) {
                st.setString(1, id);
                st.setString(2, cmd.conversationId());
                try (ResultSet rs = st.executeQuery()) {
                    if (!rs.next()) {
                        throw new Rejection(ErrorCode.NOT_FOUND, "no message " + id + " in conversation " + cmd.conversationId());
                    }
                    found.add(new Target(rs.getString(1), rs.getLong(2), rs.getString(3)));
                }
            }
        }
        return found;
    }

    /** Messages up to the seq that earlier up_to_seq receipts of this user and status have not covered yet. */
    private List<Target> targetsUpTo(Connection c, ReceiptCommand cmd) throws SQLException {
        long from = mark(c, cmd, cmd.status());
        List<Target> found = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement(
                "SELECT message_id, seq, sender_id FROM messages WHERE conversation_id = ? AND seq > ? AND seq <= ? "
                        + "AND sender_id <> ? ORDER BY seq")) {
            st.setString(1, cmd.conversationId());
            st.setLong(2, from);
            st.setLong(3, cmd.upToSeq());
            st.setString(4, cmd.userId());
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    found.add(new Target(rs.getString(1), rs.getLong(2), rs.getString(3)));
                }
            }
        }
        return found;
    }

    private long mark(Connection c, ReceiptCommand cmd, ReceiptStatus status) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(
                "SELECT up_to_seq FROM receipt_marks WHERE conversation_id = ? AND user_id = ? AND status = ?")) {
            st.setString(1, cmd.conversationId());
            st.setString(2, cmd.userId());
            st.setString(3, status.wire());
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    private void raiseMark(Connection c, ReceiptCommand cmd, ReceiptStatus status) throws SQLException {
        long upTo = Math.min(cmd.upToSeq(), head(c, cmd.conversationId()).seq);
        try (PreparedStatement st = c.prepareStatement(
                "INSERT INTO receipt_marks (conversation_id, user_id, status, up_to_seq) VALUES (?,?,?,?) "
                        + "ON CONFLICT (conversation_id, user_id, status) DO UPDATE SET up_to_seq = MAX(up_to_seq, excluded.up_to_seq)")) {
            st.setString(1, cmd.conversationId());
            st.setString(2, cmd.userId());
            st.setString(3, status.wire());
            st.setLong(4, upTo);
            st.executeUpdate();
        }
    }

    Message findByClientId(Connection c, String senderId, String clientId) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(
                "SELECT message_id, conversation_id, seq, ts, sender_id, client_id, body FROM messages "
                        + "WHERE sender_id = ? AND client_id = ?")) {
            st.setString(1, senderId);
            st.setString(2, clientId);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? SqliteReads.message(rs) : null;
            }
        }
    }

    static void requireMember(Connection c, String conversationId, String userId) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(
                "SELECT 1 FROM members WHERE conversation_id = ? AND user_id = ?")) {
            st.setString(1, conversationId);
            st.setString(2, userId);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    throw new Rejection(ErrorCode.FORBIDDEN, "not a member of conversation " + conversationId,
                            List.of(conversationId));
                }
            }
        }
    }

    private Head head(Connection c, String conversationId) throws SQLException {
        Head cached = heads.get(conversationId);
        if (cached != null) {
            return cached;
        }
        try (PreparedStatement st = c.prepareStatement("SELECT last_seq, last_ts FROM conversations WHERE id = ?")) {
            st.setString(1, conversationId);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    throw new Rejection(ErrorCode.NOT_FOUND, "no conversation " + conversationId);
                }
                Head head = new Head(rs.getLong(1), rs.getLong(2));
                heads.put(conversationId, head);
                return head;
            }
        }
    }

    // ---- conversations ----

    String createConversation(Connection c, String creatorId, List<String> memberIds, String title, String directKey)
            throws SQLException {
        String id = Ids.conversationId();
        long now = System.currentTimeMillis();
        try (PreparedStatement st = c.prepareStatement(
                "INSERT INTO conversations (id, title, direct_key, created_at) VALUES (?,?,?,?)")) {
            st.setString(1, id);
            st.setString(2, title);
            st.setString(3, directKey);
            st.setLong(4, now);
            st.executeUpdate();
        }
        List<String> all = new ArrayList<>();
        all.add(creatorId);
        all.addAll(memberIds);
        insertMembers(c, id, all, now);
        return id;
    }

    void insertMembers(Connection c, String conversationId, List<String> userIds, long now) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(
                "INSERT INTO members (conversation_id, user_id, joined_at) VALUES (?,?,?) ON CONFLICT DO NOTHING")) {
            for (String user : new LinkedHashSet<>(userIds)) {
                st.setString(1, conversationId);
                st.setString(2, user);
                st.setLong(3, now);
                st.executeUpdate();
            }
        }
    }

    String findDirect(Connection c, String directKey) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT id FROM conversations WHERE direct_key = ?")) {
            st.setString(1, directKey);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    void touchHealth(Connection c) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(
                "INSERT INTO health (id, ts) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET ts = excluded.ts")) {
            st.setLong(1, System.currentTimeMillis());
            st.executeUpdate();
        }
    }
}
