-- Conversations and their heads: last_seq/last_ts move in the same transaction as the message they count.
CREATE TABLE conversations (
    id          TEXT PRIMARY KEY,
    title       TEXT,
    direct_key  TEXT UNIQUE,          -- "a\nb" (sorted user ids) for the one 1:1 conversation of two users
    created_at  INTEGER NOT NULL,
    last_seq    INTEGER NOT NULL DEFAULT 0,
    last_ts     INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE members (
    conversation_id TEXT NOT NULL REFERENCES conversations(id),
    user_id         TEXT NOT NULL,
    joined_at       INTEGER NOT NULL,
    PRIMARY KEY (conversation_id, user_id)
) WITHOUT ROWID;
CREATE INDEX members_by_user ON members (user_id, conversation_id);

CREATE TABLE messages (
    message_id      TEXT PRIMARY KEY,
    conversation_id TEXT NOT NULL REFERENCES conversations(id),
    seq             INTEGER NOT NULL,
    ts              INTEGER NOT NULL,
    sender_id       TEXT NOT NULL,
    client_id       TEXT NOT NULL,
    body            TEXT NOT NULL
);
CREATE UNIQUE INDEX messages_by_seq ON messages (conversation_id, seq);
-- Idempotency across retries, connections and restarts.
CREATE UNIQUE INDEX messages_by_client_id ON messages (sender_id, client_id);
CREATE INDEX messages_by_ts ON messages (conversation_id, ts);

-- One row per (message, recipient, status); the rowid orders receipts for sync paging.
CREATE TABLE receipts (
    message_id      TEXT NOT NULL,
    user_id         TEXT NOT NULL,
    status          TEXT NOT NULL,
    ts              INTEGER NOT NULL,
    conversation_id TEXT NOT NULL,
    seq             INTEGER NOT NULL,
    sender_id       TEXT NOT NULL
);
CREATE UNIQUE INDEX receipts_once ON receipts (message_id, user_id, status);
CREATE INDEX receipts_by_sender ON receipts (sender_id, ts);

-- How far up_to_seq receipts have already been applied, so a repeated up_to_seq scans only what is new.
CREATE TABLE receipt_marks (
    conversation_id TEXT NOT NULL,
    user_id         TEXT NOT NULL,
    status          TEXT NOT NULL,
    up_to_seq       INTEGER NOT NULL,
    PRIMARY KEY (conversation_id, user_id, status)
) WITHOUT ROWID;

-- Touched by the health check to prove the store is writable.
CREATE TABLE health (
    id INTEGER PRIMARY KEY,
    ts INTEGER NOT NULL
);
