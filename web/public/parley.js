// Parley protocol v1 client for browsers and Node 20+ (any runtime with a global WebSocket).
// One dependency-free ES module; docs/PROTOCOL.md is the contract it implements.
//
// Everything here runs on the single JavaScript event loop, so no field needs a lock: every
// mutable field below is owned by that loop and changed only from socket callbacks, timers
// and the public methods.

export const DEFAULT_BACKOFF = Object.freeze({ baseMs: 500, factor: 2, capMs: 30000, resetAfterMs: 30000 });

/** Full jitter: a uniform delay in [0, min(capMs, baseMs * factor^attempt)). */
export function backoffDelay(attempt, backoff = DEFAULT_BACKOFF, random = Math.random) {
  const ceiling = Math.min(backoff.capMs, backoff.baseMs * Math.pow(backoff.factor, attempt));
  return Math.floor(random() * ceiling);
}

/** A send the server refused for good, or a request that could not complete. */
export class ParleyError extends Error {
  constructor(code, message, frame = null) {
    super(message);
    this.name = 'ParleyError';
    this.code = code;
    this.frame = frame;
  }
}

/** The default storage: the Web Storage interface, kept in memory. `localStorage` fits the same slot. */
export class MemoryStorage {
  #items = new Map();
  getItem(key) { return this.#items.has(key) ? this.#items.get(key) : null; }
  setItem(key, value) { this.#items.set(key, String(value)); }
  removeItem(key) { this.#items.delete(key); }
}

const CLOSE_NORMAL = 1000;
const CLOSE_UNAUTHENTICATED = 4001;
/** Send errors that no retry can fix (PROTOCOL.md §7). */
const SEND_FATAL = new Set(['bad_request', 'forbidden', 'not_found', 'conflict', 'too_large']);
const RECENT_IDS = 5000;
const SERVER_CLOCK_MARGIN_MS = 2000;

export function uuid() {
  if (globalThis.crypto?.randomUUID) return globalThis.crypto.randomUUID();
  // crypto.randomUUID exists only in secure contexts (https, localhost); a page opened over
  // plain http from another host still has getRandomValues.
  const b = globalThis.crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * Events, as CustomEvents with the payload in `detail`; or `client.on(type, fn)`, `options.on = {type: fn}`,
 * or one `options.onEvent(type, detail)` for all:
 *   state       {state: 'connecting'|'connected'|'reconnecting'|'closed', attempt, delayMs, retryAt, reason}
 *               'reconnecting' with retryAt > 0 is a wait before the next attempt; with retryAt 0, the attempt itself
 *   message     {message, own}  message as on the wire; per conversation in seq order, each once
 *   ack         {ack, body}     one of this client's sends was committed
 *   receipt     {status: 'delivered'|'read', receipt, synced}  for a message this user sent
 *   send:failed {clientId, conversationId, error}
 *   error       {code, message, frame}  an error frame that no request was waiting for, or a local fault
 *   disconnected {code, reason}
 */
export class ParleyClient extends EventTarget {
  #opts;
  #storage;
  #state = 'idle';
  #closedByUser = false;
  #everConnected = false;
  #conn = null; // the live connection attempt: {ws, gen, authed, synced, timers}
  #gen = 0;
  #attempt = 0;
  #authFailures = 0; // 4001s in a row before any auth:ok
  #retryTimer = null;
  #connectedAt = 0;
  #userId = null;
  #limits = null;
  #serverTime = 0; // the latest server clock reading seen (auth:ok, pong, ts fields)
  #receiptsSince = 0; // server time from which receipts for own messages may have been missed; null: none
  #refSeq = 0;
  #pending = new Map(); // ref -> {conn, resolve, reject, timer}
  #subscriptions = new Set();
  #ready = new Set(); // subscribed conversation ids whose first sync has completed
  #readyWaiters = new Map(); // conversation id -> [{resolve, reject}] of subscribe() calls
  #cursors = new Map(); // conversation id -> seq of the last message delivered to the app
  #ahead = new Map(); // conversation id -> Map(seq -> message) received ahead of the cursor
  #syncing = new Set(); // conversation ids with a cursor sync in flight
  #recentIds = new Set(); // message ids delivered lately, oldest first
  #outbox = new Map(); // client_id -> {conversationId, clientId, body, sentGen, timer, retries, resolve, reject}
  #deliveredDue = new Set(); // conversation ids owed a message:delivered
  #deliveredTimer = null;
  #reads = new Map(); // conversation id -> {seq, waiters} not yet confirmed by the server

  /**
   * @param {object} options
   * @param {string} options.url  ws:// or wss:// URL of /ws
   * @param {(info: {refresh: boolean}) => Promise<string|null>} options.getToken  called on every (re)connect;
   *        null means no token can be had, which closes the client
   */
  constructor(options) {
    super();
    if (!options || typeof options.url !== 'string') throw new TypeError('options.url is required');
    if (typeof options.getToken !== 'function') throw new TypeError('options.getToken must be a function');
    this.#opts = {
      heartbeatMs: null, // null: use the server's heartbeat_ms
      pongTimeoutMs: null, // null: the heartbeat interval
      connectTimeoutMs: 10000,
      autoDelivered: true,
      initialHistory: Infinity, // messages to fetch for a conversation with no known cursor
      syncLimit: 500,
      maxOutbox: 1000,
      storageKey: 'parley:',
      random: Math.random,
      WebSocket: globalThis.WebSocket,
      ...options,
      backoff: { ...DEFAULT_BACKOFF, ...options.backoff },
    };
    if (typeof this.#opts.WebSocket !== 'function') {
      throw new TypeError('no WebSocket: pass options.WebSocket (Node 20 needs --experimental-websocket)');
    }
    const { baseMs, factor, capMs, resetAfterMs } = this.#opts.backoff;
    if (!(baseMs > 0 && capMs >= baseMs && factor >= 1 && resetAfterMs >= 0)) {
      throw new RangeError('backoff needs baseMs > 0, capMs >= baseMs, factor >= 1 and resetAfterMs >= 0');
    }
    if (this.#opts.heartbeatMs !== null && !(this.#opts.heartbeatMs > 0)) throw new RangeError('heartbeatMs must be > 0');
    if (!(this.#opts.syncLimit >= 1 && this.#opts.syncLimit <= 1000)) throw new RangeError('syncLimit must be 1..1000');
    if (!(this.#opts.initialHistory >= 0)) throw new RangeError('initialHistory must be >= 0');
    Object.freeze(this.#opts.backoff);
    Object.freeze(this.#opts);
    this.#storage = this.#opts.storage ?? new MemoryStorage();
    for (const [type, fn] of Object.entries(this.#opts.on ?? {})) this.on(type, fn);
    this.#load();
  }

  get state() { return this.#state; }
  get userId() { return this.#userId; }
  get limits() { return this.#limits; }
  /** Seq of the last message of the conversation delivered to the app (0 if none). */
  lastSeq(conversationId) { return this.#cursors.get(conversationId) ?? 0; }
  /** Sends not yet acked, in send order. */
  pendingSends() {
    return [...this.#outbox.values()].map(({ conversationId, clientId, body }) => ({ conversationId, clientId, body }));
  }

  on(type, fn) {
    const listener = (event) => fn(event.detail);
    this.addEventListener(type, listener);
    return () => this.removeEventListener(type, listener);
  }

  connect() {
    if (this.#state !== 'idle' && this.#state !== 'closed') return;
    this.#closedByUser = false;
    this.#everConnected = false;
    this.#attempt = 0;
    this.#authFailures = 0;
    this.#open();
  }

  /**
   * Call when the network came back or the page came to the foreground: a waiting reconnect happens now, and a
   * live connection is checked at once with a ping (no pong in time drops it). The backoff is otherwise unchanged:
   * the attempt count stays, so a failed attempt waits as long as the next one would have.
   */
  reconnectNow() {
    if (this.#closedByUser) return;
    if (this.#retryTimer !== null) {
      clearTimeout(this.#retryTimer);
      this.#retryTimer = null;
      this.#open();
    } else if (this.#conn?.authed) {
      this.#ping(this.#conn, this.#conn.heartbeatMs);
    }
  }

  /** Stops for good: closes the socket, rejects unacked sends and clears the outbox. */
  close() {
    this.#closedByUser = true;
    clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
    clearTimeout(this.#deliveredTimer);
    if (this.#conn) this.#abandon(this.#conn, CLOSE_NORMAL, 'client closed');
    for (const entry of this.#outbox.values()) {
      clearTimeout(entry.timer);
      entry.reject(new ParleyError('closed', 'the client was closed before the server acked'));
    }
    this.#outbox.clear();
    this.#saveOutbox();
    for (const id of [...this.#readyWaiters.keys()]) this.#settleReady(id, new ParleyError('closed', 'the client was closed'));
    this.#setState('closed', { reason: 'closed by the app' });
  }

  /** Subscribes to conversations (kept across reconnects); resolves once their missed messages are delivered. */
  /**
   * Subscribes to conversations, kept across reconnects. Resolves once each has been subscribed and its missed
   * messages delivered, on this connection or a later one; rejects with `forbidden` for one the user is not in.
   */
  subscribe(conversationIds) {
    const fresh = conversationIds.filter((id) => !this.#subscriptions.has(id));
    for (const id of fresh) this.#subscriptions.add(id);
    const ready = Promise.all(conversationIds.filter((id) => !this.#ready.has(id)).map((id) => new Promise((resolve, reject) => {
      if (!this.#readyWaiters.has(id)) this.#readyWaiters.set(id, []);
      this.#readyWaiters.get(id).push({ resolve, reject });
    })));
    // Before auth:ok the connect sequence includes them; after a drop the reconnect does.
    const conn = this.#conn;
    if (fresh.length && conn?.authed) this.#subscribeAndSync(conn, fresh, 0).catch((err) => this.#syncFailed(conn, err));
    return ready.then(() => undefined);
  }

  async unsubscribe(conversationIds) {
    for (const id of conversationIds) {
      this.#subscriptions.delete(id);
      this.#ahead.delete(id);
      this.#ready.delete(id);
      this.#settleReady(id, null);
    }
    const conn = this.#conn;
    if (!conn?.authed) return;
    try {
      await this.#request(conn, { type: 'unsubscribe', conversation_ids: conversationIds });
    } catch (err) {
      if (err.code !== 'disconnected') throw err;
    }
  }

  /**
   * Queues a message. Resolves with the ack; rejects with a ParleyError for a refusal no retry can fix.
   * Unacked sends go out again, in order and with the same client_id, after every reconnect.
   * The promise carries `clientId`.
   */
  send(conversationId, body, { clientId = uuid() } = {}) {
    if (typeof conversationId !== 'string' || !conversationId) {
      return Promise.reject(new TypeError('conversationId must be a non-empty string'));
    }
    if (typeof body !== 'string' || !body) return Promise.reject(new TypeError('body must be a non-empty string'));
    if (this.#closedByUser) return Promise.reject(new ParleyError('closed', 'the client is closed'));
    if (this.#outbox.size >= this.#opts.maxOutbox) {
      return Promise.reject(new ParleyError('outbox_full', `more than ${this.#opts.maxOutbox} unacked sends`));
    }
    let entry;
    const promise = new Promise((resolve, reject) => {
      entry = { conversationId, clientId, body, sentGen: 0, timer: null, retries: 0, resolve, reject };
    });
    promise.clientId = clientId;
    this.#outbox.set(clientId, entry);
    this.#saveOutbox();
    if (this.#conn?.authed) this.#transmit(this.#conn, entry);
    return promise;
  }

  /** Marks every message up to `upToSeq` (default: the last delivered) as read; resolves when the server confirms. */
  markRead(conversationId, upToSeq = this.lastSeq(conversationId)) {
    if (!upToSeq) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const read = this.#reads.get(conversationId) ?? { seq: 0, waiters: [] };
      read.seq = Math.max(read.seq, upToSeq);
      read.waiters.push({ resolve, reject });
      this.#reads.set(conversationId, read);
      if (this.#conn?.synced) this.#sendRead(this.#conn, conversationId);
    });
  }

  // ---- connection lifecycle ----

  async #open() {
    const gen = ++this.#gen;
    const reconnecting = this.#everConnected || this.#attempt > 0;
    this.#setState(reconnecting ? 'reconnecting' : 'connecting', { attempt: this.#attempt });
    let token;
    try {
      token = await this.#opts.getToken({ refresh: this.#authFailures > 0 });
    } catch (err) {
      if (gen !== this.#gen || this.#closedByUser) return;
      this.#emit('error', { code: 'token_unavailable', message: String(err?.message ?? err), frame: null });
      this.#scheduleReconnect();
      return;
    }
    if (gen !== this.#gen || this.#closedByUser) return;
    if (!token) {
      this.#setState('closed', { reason: 'no token' });
      return;
    }
    let ws;
    try {
      ws = new this.#opts.WebSocket(this.#opts.url);
    } catch (err) {
      this.#emit('error', { code: 'connect_failed', message: String(err?.message ?? err), frame: null });
      this.#scheduleReconnect();
      return;
    }
    const conn = { ws, gen, token, opened: false, authed: false, synced: false, heartbeatMs: 0, pingTimer: null, refreshTimer: null };
    this.#conn = conn;
    conn.openTimer = setTimeout(() => this.#drop(conn, 'connect timeout'), this.#opts.connectTimeoutMs);
    ws.onopen = () => {
      if (conn !== this.#conn) return;
      conn.opened = true;
      this.#request(conn, { type: 'auth', token }).then((ok) => this.#onAuthOk(conn, ok), () => {});
    };
    ws.onmessage = (event) => { if (conn === this.#conn) this.#onFrame(conn, event.data); };
    ws.onclose = (event) => { if (conn === this.#conn) this.#onClosed(conn, event.code, event.reason); };
    ws.onerror = () => {
      // Browsers follow a failed handshake with a close event; Node 20's WebSocket does not, so give up here.
      if (conn === this.#conn && !conn.opened) this.#drop(conn, 'connect failed', 1006);
    };
  }

  #onAuthOk(conn, ok) {
    clearTimeout(conn.openTimer);
    conn.authed = true;
    this.#authFailures = 0;
    this.#userId = ok.user_id;
    this.#limits = ok.limits ?? null;
    const heartbeatMs = this.#opts.heartbeatMs ?? ok.heartbeat_ms ?? 25000;
    conn.heartbeatMs = heartbeatMs;
    conn.pingTimer = setInterval(() => this.#ping(conn, heartbeatMs), heartbeatMs);
    this.#scheduleTokenRefresh(conn, ok.server_time);
    for (const entry of this.#outbox.values()) this.#transmit(conn, entry);
    const receiptsSince = this.#receiptsSince;
    this.#subscribeAndSync(conn, [...this.#subscriptions], receiptsSince)
      .then(() => {
        if (this.#receiptsSince === receiptsSince) this.#receiptsSince = null;
        if (conn !== this.#conn) return;
        conn.synced = true;
        this.#everConnected = true;
        this.#connectedAt = Date.now();
        this.#setState('connected', { attempt: 0 });
        for (const id of this.#reads.keys()) this.#sendRead(conn, id);
        this.#flushDelivered();
      })
      .catch((err) => this.#syncFailed(conn, err));
  }

  /** A subscribe or sync that failed for a reason other than the connection: start over on a new one. */
  #syncFailed(conn, err) {
    if (conn !== this.#conn || err?.code === 'disconnected') return;
    this.#emit('error', { code: err?.code ?? 'internal', message: String(err?.message ?? err), frame: err?.frame ?? null });
    this.#drop(conn, 'sync failed');
  }

  #settleReady(id, err) {
    for (const waiter of this.#readyWaiters.get(id) ?? []) {
      if (err) waiter.reject(err);
      else waiter.resolve();
    }
    this.#readyWaiters.delete(id);
  }

  #ping(conn, heartbeatMs) {
    if (conn.pingInFlight) return;
    conn.pingInFlight = true;
    const timeoutMs = this.#opts.pongTimeoutMs ?? heartbeatMs;
    this.#request(conn, { type: 'ping' }, timeoutMs).then(
      () => { conn.pingInFlight = false; },
      (err) => { if (err.code === 'timeout') this.#drop(conn, 'no pong'); },
    );
  }

  #scheduleTokenRefresh(conn, serverTime) {
    clearTimeout(conn.refreshTimer);
    const exp = jwtExpiry(conn.token);
    if (!exp || !serverTime) return;
    const delay = exp - serverTime - Math.min(60000, (exp - serverTime) / 5);
    if (delay < 1000) return; // so short-lived that a reconnect after the 4001 is the refresh
    conn.refreshTimer = setTimeout(async () => {
      try {
        const token = await this.#opts.getToken({ refresh: true });
        if (!token || conn !== this.#conn) return;
        const ok = await this.#request(conn, { type: 'auth', token });
        conn.token = token;
        this.#scheduleTokenRefresh(conn, ok.server_time);
      } catch (err) {
        if (err?.code !== 'disconnected') {
          this.#emit('error', { code: err?.code ?? 'token_unavailable', message: String(err?.message ?? err), frame: err?.frame ?? null });
        }
      }
    }, delay);
  }

  /** Gives up on a connection that looks dead without waiting for a close handshake. */
  #drop(conn, reason, code = 4000) {
    if (conn !== this.#conn) return;
    this.#abandon(conn, 4000, reason);
    this.#afterClose(conn, code, reason);
  }

  #abandon(conn, code, reason) {
    conn.ws.onopen = conn.ws.onmessage = conn.ws.onclose = conn.ws.onerror = null;
    try { conn.ws.close(code === CLOSE_NORMAL ? CLOSE_NORMAL : 4000, reason); } catch { /* already closed */ }
    this.#teardown(conn);
  }

  #onClosed(conn, code, reason) {
    this.#teardown(conn);
    this.#afterClose(conn, code, reason);
  }

  #teardown(conn) {
    clearTimeout(conn.openTimer);
    clearInterval(conn.pingTimer);
    clearTimeout(conn.refreshTimer);
    if (conn.authed) {
      const since = this.#serverTime - SERVER_CLOCK_MARGIN_MS;
      this.#receiptsSince = Math.min(this.#receiptsSince ?? since, since);
    }
    for (const entry of this.#outbox.values()) clearTimeout(entry.timer);
    for (const [ref, p] of this.#pending) {
      if (p.conn !== conn) continue;
      clearTimeout(p.timer);
      this.#pending.delete(ref);
      p.reject(new ParleyError('disconnected', 'the connection closed before the reply'));
    }
    for (const id of this.#syncing) this.#syncing.delete(id);
    if (this.#conn === conn) this.#conn = null;
  }

  #afterClose(conn, code, reason) {
    this.#emit('disconnected', { code, reason });
    if (this.#closedByUser) return;
    if (code === CLOSE_NORMAL) {
      this.#setState('closed', { reason: reason || 'closed by the server' });
      return;
    }
    if (code === CLOSE_UNAUTHENTICATED) {
      // One 4001 asks for a fresh token; a second one before any auth:ok means no token will do.
      this.#authFailures = conn.authed ? 1 : this.#authFailures + 1;
      if (this.#authFailures >= 2) {
        this.#setState('closed', { reason: 'unauthenticated' });
        return;
      }
    }
    if (this.#connectedAt && Date.now() - this.#connectedAt >= this.#opts.backoff.resetAfterMs) this.#attempt = 0;
    this.#connectedAt = 0;
    this.#scheduleReconnect();
  }

  #scheduleReconnect() {
    const delayMs = backoffDelay(this.#attempt, this.#opts.backoff, this.#opts.random);
    this.#attempt += 1;
    this.#setState('reconnecting', { attempt: this.#attempt, delayMs, retryAt: Date.now() + delayMs });
    clearTimeout(this.#retryTimer);
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = null;
      if (!this.#closedByUser) this.#open();
    }, delayMs);
  }

  // ---- frames ----

  #onFrame(conn, data) {
    let frame;
    try {
      frame = JSON.parse(data);
    } catch {
      this.#emit('error', { code: 'bad_frame', message: 'the server sent a frame that is not JSON', frame: null });
      return;
    }
    if (!frame || typeof frame.type !== 'string') return;
    this.#seeServerTime(frame.server_time ?? frame.ts ?? frame.message?.ts);
    switch (frame.type) {
      case 'message:new':
        if (this.#subscriptions.has(frame.message?.conversation_id)) this.#accept(frame.message);
        return;
      case 'message:delivered':
      case 'message:read':
        this.#emit('receipt', { status: frame.type.slice('message:'.length), receipt: frame, synced: false });
        return;
      default:
        break;
    }
    const pending = frame.ref !== undefined ? this.#pending.get(frame.ref) : undefined;
    if (pending) {
      this.#pending.delete(frame.ref);
      clearTimeout(pending.timer);
      if (frame.type === 'error') pending.reject(new ParleyError(frame.code, frame.message, frame));
      else pending.resolve(frame);
    } else if (frame.type === 'error') {
      this.#emit('error', { code: frame.code, message: frame.message, frame });
    }
  }

  #request(conn, frame, timeoutMs = 0) {
    return new Promise((resolve, reject) => {
      const ref = (++this.#refSeq).toString(36);
      const pending = { conn, resolve, reject, timer: null };
      if (timeoutMs) {
        pending.timer = setTimeout(() => {
          this.#pending.delete(ref);
          reject(new ParleyError('timeout', `no reply to ${frame.type} within ${timeoutMs} ms`));
        }, timeoutMs);
      }
      this.#pending.set(ref, pending);
      if (!this.#write(conn, { ...frame, ref })) {
        this.#pending.delete(ref);
        clearTimeout(pending.timer);
        reject(new ParleyError('disconnected', 'the connection is not open'));
      }
    });
  }

  #write(conn, frame) {
    if (conn !== this.#conn || conn.ws.readyState !== 1) return false;
    conn.ws.send(JSON.stringify(frame));
    return true;
  }

  #seeServerTime(ms) {
    if (typeof ms === 'number' && ms > this.#serverTime) this.#serverTime = ms;
  }

  // ---- sending ----

  #transmit(conn, entry) {
    clearTimeout(entry.timer);
    entry.timer = null;
    entry.sentGen = conn.gen;
    const frame = { type: 'message:send', conversation_id: entry.conversationId, client_id: entry.clientId, body: entry.body };
    this.#request(conn, frame).then(
      (ack) => this.#onAck(ack, entry),
      (err) => this.#onSendError(conn, entry, err),
    );
  }

  #onAck(ack, entry) {
    if (this.#outbox.get(entry.clientId) !== entry) return;
    this.#outbox.delete(entry.clientId);
    this.#saveOutbox();
    this.#seeServerTime(ack.ts);
    entry.resolve(ack);
    this.#emit('ack', { ack, body: entry.body });
    if (this.#subscriptions.has(ack.conversation_id)) {
      // This connection gets no message:new for its own sends; the ack stands in for it in the seq stream.
      this.#accept({
        message_id: ack.message_id, conversation_id: ack.conversation_id, seq: ack.seq, ts: ack.ts,
        sender_id: this.#userId, client_id: ack.client_id, body: entry.body,
      });
    }
  }

  #onSendError(conn, entry, err) {
    if (this.#outbox.get(entry.clientId) !== entry || err.code === 'disconnected') return; // resent after reconnect
    if (SEND_FATAL.has(err.code)) {
      this.#outbox.delete(entry.clientId);
      this.#saveOutbox();
      entry.reject(err);
      this.#emit('send:failed', { clientId: entry.clientId, conversationId: entry.conversationId, error: err });
      return;
    }
    // rate_limited waits as told; unavailable and internal back off; a 4001 close resends after reconnect.
    const delay = err.code === 'rate_limited'
      ? Math.max(0, Number(err.frame?.retry_after_ms) || 0)
      : backoffDelay(entry.retries++, this.#opts.backoff, this.#opts.random);
    entry.timer = setTimeout(() => {
      if (this.#outbox.get(entry.clientId) === entry && conn === this.#conn && conn.authed) this.#transmit(conn, entry);
    }, delay);
  }

  // ---- receiving: subscribe, sync, in-order delivery ----

  /**
   * Subscribes, then fetches what the cursors miss. With `receiptsSince` (server ms) every conversation is
   * synced, to also get the receipts for own messages made since then (a cursor sync's receipts_since_ts).
   */
  async #subscribeAndSync(conn, ids, receiptsSince = null) {
    if (!ids.length) return;
    let reply;
    try {
      reply = await this.#request(conn, { type: 'subscribe', conversation_ids: ids });
    } catch (err) {
      const refused = err.code === 'forbidden' ? err.frame?.conversation_ids ?? [] : [];
      if (!refused.length) throw err;
      // All or nothing on the server: forget the refused ones and subscribe to the rest.
      for (const id of refused) {
        this.#subscriptions.delete(id);
        this.#settleReady(id, err);
      }
      this.#emit('error', { code: err.code, message: err.message, frame: err.frame });
      return this.#subscribeAndSync(conn, ids.filter((id) => !refused.includes(id)), receiptsSince);
    }
    const cursors = {};
    for (const c of reply.conversations ?? []) {
      if (!this.#cursors.has(c.id)) this.#cursors.set(c.id, Math.max(0, c.last_seq - this.#opts.initialHistory));
      if (receiptsSince !== null || c.last_seq > this.#cursors.get(c.id)) cursors[c.id] = this.#cursors.get(c.id);
    }
    this.#saveCursors();
    const synced = Object.keys(cursors);
    for (const id of synced) this.#syncing.add(id);
    try {
      if (synced.length) await this.#sync(conn, receiptsSince === null ? { cursors } : { cursors, receipts_since_ts: receiptsSince });
    } finally {
      for (const id of synced) this.#syncing.delete(id);
    }
    for (const id of ids) {
      this.#drain(id);
      this.#ready.add(id);
      this.#settleReady(id, null);
    }
  }

  /** Pages through one sync; delivers its messages (dedup and ordering in #accept). */
  async #sync(conn, query) {
    let frame = { type: 'sync', ...query, limit: this.#opts.syncLimit };
    for (;;) {
      const page = await this.#request(conn, frame);
      for (const m of page.messages ?? []) {
        if (this.#subscriptions.has(m.conversation_id)) this.#accept(m);
      }
      for (const r of page.receipts ?? []) {
        this.#seeServerTime(r.ts);
        this.#emit('receipt', { status: r.status, receipt: r, synced: true });
      }
      if (!page.has_more || !page.next_cursor) return;
      frame = { type: 'sync', cursor: page.next_cursor, limit: this.#opts.syncLimit };
    }
  }

  #accept(m) {
    if (!m || typeof m.seq !== 'number' || this.#recentIds.has(m.message_id)) return;
    const id = m.conversation_id;
    const cursor = this.#cursors.get(id);
    if (cursor !== undefined && m.seq <= cursor) return;
    let ahead = this.#ahead.get(id);
    if (!ahead) this.#ahead.set(id, (ahead = new Map()));
    ahead.set(m.seq, m);
    this.#drain(id);
  }

  /** Delivers the messages that continue the conversation's cursor; a hole left behind is fetched. */
  #drain(id) {
    let cursor = this.#cursors.get(id);
    const ahead = this.#ahead.get(id);
    if (cursor === undefined || !ahead) return;
    for (const seq of ahead.keys()) if (seq <= cursor) ahead.delete(seq);
    const before = cursor;
    while (ahead.has(cursor + 1)) {
      const m = ahead.get(cursor + 1);
      ahead.delete(cursor + 1);
      cursor += 1;
      this.#cursors.set(id, cursor);
      this.#deliver(m);
    }
    if (cursor !== before) this.#saveCursors();
    if (!ahead.size) this.#ahead.delete(id);
    else if (!this.#syncing.has(id)) this.#fillGap(id);
  }

  async #fillGap(id) {
    const conn = this.#conn;
    if (!conn?.authed) return; // the reconnect's sync will cover it
    const from = this.#cursors.get(id);
    this.#syncing.add(id);
    try {
      await this.#sync(conn, { cursors: { [id]: from } });
    } catch (err) {
      if (err.code !== 'disconnected') this.#emit('error', { code: err.code, message: err.message, frame: err.frame });
      return;
    } finally {
      this.#syncing.delete(id);
    }
    const ahead = this.#ahead.get(id);
    if (ahead?.size && this.#cursors.get(id) === from) {
      // The server had nothing for the hole: skip it rather than stall the conversation.
      this.#emit('error', { code: 'gap', message: `conversation ${id} has no message after seq ${from}`, frame: null });
      this.#cursors.set(id, Math.min(...ahead.keys()) - 1);
    }
    this.#drain(id);
  }

  #deliver(m) {
    this.#recentIds.add(m.message_id);
    if (this.#recentIds.size > RECENT_IDS) this.#recentIds.delete(this.#recentIds.values().next().value);
    const own = m.sender_id === this.#userId;
    this.#emit('message', { message: m, own });
    if (!own && this.#opts.autoDelivered) {
      this.#deliveredDue.add(m.conversation_id);
      if (!this.#deliveredTimer) this.#deliveredTimer = setTimeout(() => this.#flushDelivered(), 0);
    }
  }

  #flushDelivered() {
    this.#deliveredTimer = null;
    const conn = this.#conn;
    if (!conn?.authed) return; // stays due; flushed once connected
    for (const id of this.#deliveredDue) {
      if (this.#write(conn, { type: 'message:delivered', conversation_id: id, up_to_seq: this.lastSeq(id) })) {
        this.#deliveredDue.delete(id);
      }
    }
  }

  #sendRead(conn, id) {
    const read = this.#reads.get(id);
    if (!read) return;
    this.#reads.delete(id);
    this.#request(conn, { type: 'message:read', conversation_id: id, up_to_seq: read.seq }).then(
      () => read.waiters.forEach((w) => w.resolve()),
      (err) => {
        if (err.code !== 'disconnected') {
          read.waiters.forEach((w) => w.reject(err));
          return;
        }
        const later = this.#reads.get(id) ?? { seq: 0, waiters: [] };
        later.seq = Math.max(later.seq, read.seq);
        later.waiters.push(...read.waiters);
        this.#reads.set(id, later);
      },
    );
  }

  // ---- state, events, storage ----

  #setState(state, detail = {}) {
    this.#state = state;
    this.#emit('state', { state, attempt: 0, delayMs: 0, retryAt: 0, reason: null, ...detail });
  }

  #emit(type, detail) {
    this.#opts.onEvent?.(type, detail);
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }

  #load() {
    try {
      const cursors = JSON.parse(this.#storage.getItem(`${this.#opts.storageKey}cursors`) ?? '{}');
      for (const [id, seq] of Object.entries(cursors)) this.#cursors.set(id, seq);
      const outbox = JSON.parse(this.#storage.getItem(`${this.#opts.storageKey}outbox`) ?? '[]');
      for (const { conversationId, clientId, body } of outbox) {
        this.#outbox.set(clientId, { conversationId, clientId, body, sentGen: 0, timer: null, retries: 0, resolve() {}, reject() {} });
      }
    } catch {
      // Unreadable storage is treated as empty: the server's idempotency makes a lost outbox safe to resend by hand.
    }
  }

  #saveCursors() {
    this.#storage.setItem(`${this.#opts.storageKey}cursors`, JSON.stringify(Object.fromEntries(this.#cursors)));
  }

  #saveOutbox() {
    this.#storage.setItem(`${this.#opts.storageKey}outbox`, JSON.stringify(this.pendingSends()));
  }
}

/** The `exp` of a JWT in epoch ms, or null; the token is not verified here (the server does). */
function jwtExpiry(token) {
  try {
    const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const exp = JSON.parse(globalThis.atob(payload.padEnd(payload.length + ((4 - (payload.length % 4)) % 4), '='))).exp;
    return typeof exp === 'number' ? exp * 1000 : null;
  } catch {
    return null;
  }
}
