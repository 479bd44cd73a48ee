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

/**
 * The write side of the SQLite store. Every method runs on the writer thread, inside the writer's transaction;
 * checks come before writes so a {@link Rejection} leaves nothing behind. Statements are prepared once and
 * reused: for these small statements SQLite's prepare costs more than the run.
 */
final class SqliteWrites {
    private static final String FIND_BY_CLIENT_ID = "SELECT message_id, conversation_id, seq, ts, sender_id, client_id, body "
            + "FROM messages WHERE sender_id = ? AND client_id = ?";
    private static final String IS_MEMBER = "SELECT 1 FROM members WHERE conversation_id = ? AND user_id = ?";
    private static final String HEAD = "SELECT last_seq, last_ts FROM conversations WHERE id = ?";
    /** A retry hits the (sender_id, client_id) unique index and inserts nothing; only then is the old row read. */
    private static final String INSERT_MESSAGE = "INSERT INTO messages "
            + "(message_id, conversation_id, seq, ts, sender_id, client_id, body) VALUES (?,?,?,?,?,?,?) "
            + "ON CONFLICT (sender_id, client_id) DO NOTHING";
    private static final String MOVE_HEAD = "UPDATE conversations SET last_seq = ?, last_ts = ? WHERE id = ?";
    private static final String INSERT_RECEIPT = "INSERT INTO receipts "
            + "(message_id, user_id, status, ts, conversation_id, seq, sender_id) VALUES (?,?,?,?,?,?,?) ON CONFLICT DO NOTHING";
    private static final String RECEIPT_TARGET = "SELECT message_id, seq, sender_id FROM messages "
            + "WHERE message_id = ? AND conversation_id = ?";
    private static final String RECEIPT_RANGE = "SELECT message_id, seq, sender_id FROM messages "
            + "WHERE conversation_id = ? AND seq > ? AND seq <= ? AND sender_id <> ? ORDER BY seq";
    private static final String MARK = "SELECT up_to_seq FROM receipt_marks WHERE conversation_id = ? AND user_id = ? AND status = ?";
    private static final String RAISE_MARK = "INSERT INTO receipt_marks (conversation_id, user_id, status, up_to_seq) VALUES (?,?,?,?) "
            + "ON CONFLICT (conversation_id, user_id, status) DO UPDATE SET up_to_seq = MAX(up_to_seq, excluded.up_to_seq)";
    private static final String INSERT_CONVERSATION = "INSERT INTO conversations (id, title, direct_key, created_at) VALUES (?,?,?,?)";
    private static final String INSERT_MEMBER = "INSERT INTO members (conversation_id, user_id, joined_at) VALUES (?,?,?) "
            + "ON CONFLICT DO NOTHING";
    private static final String FIND_DIRECT = "SELECT id FROM conversations WHERE direct_key = ?";
    private static final String TOUCH_HEALTH = "INSERT INTO health (id, ts) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET ts = excluded.ts";

    /** A conversation's head as of the last statement run by this writer. */
    private record Head(long seq, long ts) {
    }

    private record Target(String messageId, long seq, String senderId) {
    }

    private static final int MEMBERSHIP_CACHE = 100_000;

    private final CommitListener listener;
    // Owned by the writer thread; cleared on rollback because it may hold heads of a rolled-back batch.
    private final Map<String, Head> heads = new HashMap<>();
    /**
     * Memberships already seen, "conversation\nuser", least recently used dropped first. Members are only ever
     * added, so an entry stays true; it saves a query on every send and receipt. Owned by the writer thread,
     * cleared on rollback with the heads.
     */
    private final Map<String, Boolean> members = new java.util.LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > MEMBERSHIP_CACHE;
        }
    };
    // Owned by the writer thread: the statements of the writer's one connection.
    private Statements statements;

    SqliteWrites(CommitListener listener) {
        this.listener = listener;
    }

    void forgetCachedState() {
        heads.clear();
        members.clear();
    }

    /** The writer's statement for this SQL, prepared on first use; executing it again resets it. */
    private PreparedStatement sql(Connection c, String sql) throws SQLException {
        if (statements == null) {
            statements = new Statements(c);
        }
        return statements.get(sql);
    }

    // ---- messages ----

    SendOutcome append(Tx tx, SendCommand cmd) throws SQLException {
        Connection c = tx.connection();
        requireMember(c, cmd.conversationId(), cmd.senderId());
        Head head = head(c, cmd.conversationId());
        Head next = new Head(head.seq + 1, Math.max(System.currentTimeMillis(), head.ts));
        Message message = new Message(Ids.messageId(), cmd.conversationId(), next.seq, next.ts,
                cmd.senderId(), cmd.clientId(), cmd.body());
        if (!insertMessage(c, message)) {
            return retried(c, cmd);
        }
        PreparedStatement move = sql(c, MOVE_HEAD);
        move.setLong(1, next.seq);
        move.setLong(2, next.ts);
        move.setString(3, cmd.conversationId());
        move.executeUpdate();
        heads.put(cmd.conversationId(), next);
        tx.afterCommit(() -> listener.messageCommitted(message, cmd.origin()));
        return new SendOutcome(message, true);
    }

    /** The same (sender, client_id) was committed before: the same ack again, or a conflict. */
    private SendOutcome retried(Connection c, SendCommand cmd) throws SQLException {
        Message existing = findByClientId(c, cmd.senderId(), cmd.clientId());
        if (!existing.conversationId.equals(cmd.conversationId())) {
            throw new Rejection(ErrorCode.CONFLICT, "client_id was already used for another conversation");
        }
        return new SendOutcome(existing, false);
    }

    /** False when the (sender, client_id) is already taken. */
    private boolean insertMessage(Connection c, Message m) throws SQLException {
        PreparedStatement st = sql(c, INSERT_MESSAGE);
        st.setString(1, m.messageId);
        st.setString(2, m.conversationId);
        st.setLong(3, m.seq);
        st.setLong(4, m.ts);
        st.setString(5, m.senderId);
        st.setString(6, m.clientId);
        st.setString(7, m.body);
        return st.executeUpdate() == 1;
    }

    private Message findByClientId(Connection c, String senderId, String clientId) throws SQLException {
        PreparedStatement st = sql(c, FIND_BY_CLIENT_ID);
        st.setString(1, senderId);
        st.setString(2, clientId);
        try (ResultSet rs = st.executeQuery()) {
            return rs.next() ? SqliteReads.message(rs) : null;
        }
    }

    private void requireMember(Connection c, String conversationId, String userId) throws SQLException {
        String key = conversationId + "\n" + userId;
        if (members.containsKey(key)) {
            return;
        }
        PreparedStatement st = sql(c, IS_MEMBER);
        st.setString(1, conversationId);
        st.setString(2, userId);
        try (ResultSet rs = st.executeQuery()) {
            if (!rs.next()) {
                throw new Rejection(ErrorCode.FORBIDDEN, "not a member of conversation " + conversationId, List.of(conversationId));
            }
        }
        members.put(key, Boolean.TRUE);
    }

    private Head head(Connection c, String conversationId) throws SQLException {
        Head cached = heads.get(conversationId);
        if (cached != null) {
            return cached;
        }
        PreparedStatement st = sql(c, HEAD);
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

    // ---- receipts ----

    List<Receipt> addReceipts(Tx tx, ReceiptCommand cmd) throws SQLException {
        Connection c = tx.connection();
        requireMember(c, cmd.conversationId(), cmd.userId());
        List<Target> targets = cmd.messageIds() != null ? targetsById(c, cmd) : targetsUpTo(c, cmd);
        List<ReceiptStatus> statuses = cmd.status() == ReceiptStatus.READ
                ? List.of(ReceiptStatus.DELIVERED, ReceiptStatus.READ)
                : List.of(ReceiptStatus.DELIVERED);
        long now = System.currentTimeMillis();
        List<Receipt> created = new ArrayList<>();
        PreparedStatement insert = sql(c, INSERT_RECEIPT);
        for (Target t : targets) {
            if (t.senderId.equals(cmd.userId())) {
                continue; // receipts for one's own messages mean nothing
            }
            for (ReceiptStatus status : statuses) {
                insert.setString(1, t.messageId);
                insert.setString(2, cmd.userId());
                insert.setString(3, status.wire());
                insert.setLong(4, now);
                insert.setString(5, cmd.conversationId());
                insert.setLong(6, t.seq);
                insert.setString(7, t.senderId);
                if (insert.executeUpdate() == 1) {
                    Receipt receipt = new Receipt(t.messageId, cmd.conversationId(), t.seq, cmd.userId(), status, now);
                    created.add(receipt);
                    tx.afterCommit(() -> listener.receiptCommitted(receipt, t.senderId));
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

    private List<Target> targetsById(Connection c, ReceiptCommand cmd) throws SQLException {
        List<Target> found = new ArrayList<>();
        PreparedStatement st = sql(c, RECEIPT_TARGET);
        for (String id : new LinkedHashSet<>(cmd.messageIds())) {
            st.setString(1, id);
            st.setString(2, cmd.conversationId());
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    throw new Rejection(ErrorCode.NOT_FOUND, "no message " + id + " in conversation " + cmd.conversationId());
                }
                found.add(new Target(rs.getString(1), rs.getLong(2), rs.getString(3)));
            }
        }
        return found;
    }

    /** Messages up to the seq that earlier up_to_seq receipts of this user and status have not covered yet. */
    private List<Target> targetsUpTo(Connection c, ReceiptCommand cmd) throws SQLException {
        List<Target> found = new ArrayList<>();
        PreparedStatement st = sql(c, RECEIPT_RANGE);
        st.setString(1, cmd.conversationId());
        st.setLong(2, mark(c, cmd, cmd.status()));
        st.setLong(3, cmd.upToSeq());
        st.setString(4, cmd.userId());
        try (ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                found.add(new Target(rs.getString(1), rs.getLong(2), rs.getString(3)));
            }
        }
        return found;
    }

    private long mark(Connection c, ReceiptCommand cmd, ReceiptStatus status) throws SQLException {
        PreparedStatement st = sql(c, MARK);
        st.setString(1, cmd.conversationId());
        st.setString(2, cmd.userId());
        st.setString(3, status.wire());
        try (ResultSet rs = st.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    private void raiseMark(Connection c, ReceiptCommand cmd, ReceiptStatus status) throws SQLException {
        PreparedStatement st = sql(c, RAISE_MARK);
        st.setString(1, cmd.conversationId());
        st.setString(2, cmd.userId());
        st.setString(3, status.wire());
        st.setLong(4, Math.min(cmd.upToSeq(), head(c, cmd.conversationId()).seq));
        st.executeUpdate();
    }

    // ---- conversations ----

    String createConversation(Connection c, String creatorId, List<String> memberIds, String title, String directKey)
            throws SQLException {
        String id = Ids.conversationId();
        long now = System.currentTimeMillis();
        PreparedStatement st = sql(c, INSERT_CONVERSATION);
        st.setString(1, id);
        st.setString(2, title);
        st.setString(3, directKey);
        st.setLong(4, now);
        st.executeUpdate();
        List<String> all = new ArrayList<>();
        all.add(creatorId);
        all.addAll(memberIds);
        insertMembers(c, id, all, now);
        return id;
    }

    void insertMembers(Connection c, String conversationId, List<String> userIds, long now) throws SQLException {
        PreparedStatement st = sql(c, INSERT_MEMBER);
        for (String user : new LinkedHashSet<>(userIds)) {
            st.setString(1, conversationId);
            st.setString(2, user);
            st.setLong(3, now);
            st.executeUpdate();
        }
    }

    String findDirect(Connection c, String directKey) throws SQLException {
        PreparedStatement st = sql(c, FIND_DIRECT);
        st.setString(1, directKey);
        try (ResultSet rs = st.executeQuery()) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    void touchHealth(Connection c) throws SQLException {
        PreparedStatement st = sql(c, TOUCH_HEALTH);
        st.setLong(1, System.currentTimeMillis());
        st.executeUpdate();
    }
}
