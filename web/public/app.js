// The dev chat page: a dev token, the HTTP API for conversations, parley.js for everything live.
import { ParleyClient } from './parley.js';

const RELIST_MS = 3000;
const USER_PATTERN = /^[A-Za-z0-9._@-]{1,64}$/;
const $ = (testid) => document.querySelector(`[data-testid="${testid}"]`);

// Page state, owned by the event loop.
let me = null;
let token = null; // {token, expiresAt}
let client = null;
let relistTimer = null;
let openId = null;
const conversations = new Map(); // id -> {id, members, title, last_seq, last_ts, unread, preview}
const threads = new Map(); // conversation id -> Map(sender + client_id -> entry)
const receipts = new Map(); // message id -> {delivered: Set, read: Set}

// ---- HTTP ----

async function fetchToken(user) {
  const res = await fetch('/api/dev/token', {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user_id: user }),
  });
  if (!res.ok) throw new Error(await errorText(res));
  const body = await res.json();
  return { token: body.token, expiresAt: body.expires_at ?? Infinity };
}

async function getToken({ refresh } = {}) {
  if (refresh || !token || token.expiresAt - Date.now() < 60000) token = await fetchToken(me);
  return token.token;
}

async function api(method, path, body) {
  for (let attempt = 0; ; attempt++) {
    const res = await fetch(path, {
      method,
      headers: { authorization: `Bearer ${await getToken({ refresh: attempt > 0 })}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (res.status === 401 && attempt === 0) continue;
    if (!res.ok) throw new Error(await errorText(res));
    return res.json();
  }
}

async function errorText(res) {
  try {
    const body = await res.json();
    return body.error?.message ?? `HTTP ${res.status}`;
  } catch {
    return `HTTP ${res.status}`;
  }
}

// ---- sign in / out ----

async function signIn(user) {
  me = user;
  await getToken({ refresh: true });
  sessionStorage.setItem('parley.user', user);
  $('login-view').hidden = true;
  $('chat-view').hidden = false;
  $('me').hidden = false;
  $('me').textContent = user;
  $('me').title = user; // the full name, when the top bar has to cut it short
  $('logout').hidden = false;

  client = new ParleyClient({
    url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`,
    getToken,
    initialHistory: 200,
  });
  client.on('state', renderConnection);
  client.on('message', ({ message, own }) => onMessage(message, own));
  client.on('ack', ({ ack }) => onAck(ack));
  client.on('receipt', ({ status, receipt }) => onReceipt(status, receipt));
  client.on('send:failed', ({ clientId, conversationId, error }) => {
    const entry = threads.get(conversationId)?.get(`${me}\n${clientId}`);
    if (entry) {
      entry.status = 'failed';
      entry.error = error?.message || error?.code || 'refused by the server';
    }
    renderThread();
  });
  client.connect();
  await relist();
  relistTimer = setInterval(relist, RELIST_MS);
}

function signOut() {
  client?.close();
  clearInterval(relistTimer);
  sessionStorage.removeItem('parley.user');
  location.reload();
}

// ---- conversations ----

async function relist() {
  let list;
  try {
    list = (await api('GET', '/api/conversations')).conversations;
  } catch {
    return; // the server is away; the connection state already says so
  }
  for (const c of list) addConversation(c);
  renderConversations();
  const fresh = list.filter((c) => !conversations.get(c.id).ready).map((c) => c.id);
  // History that a first subscribe brings is not counted as unread; what comes after is.
  client.subscribe(fresh).then(() => fresh.forEach((id) => { conversations.get(id).ready = true; }), () => {});
}

function addConversation(c) {
  const known = conversations.get(c.id);
  if (known) {
    known.members = c.members;
    known.title = c.title;
    known.last_ts = Math.max(known.last_ts, c.last_ts ?? 0);
  } else {
    conversations.set(c.id, { ...c, last_ts: c.last_ts ?? 0, unread: 0, preview: '' });
  }
}

function conversationName(c) {
  if (c.title) return c.title;
  const others = (c.members ?? []).filter((m) => m !== me);
  return others.length ? others.join(', ') : me;
}

async function startChat(peer) {
  const c = await api('POST', '/api/conversations', { members: [peer], direct: true });
  addConversation(c);
  client.subscribe([c.id]).then(() => { conversations.get(c.id).ready = true; }, () => {});
  openConversation(c.id);
}

function openConversation(id) {
  openId = id;
  const c = conversations.get(id);
  c.unread = 0;
  $('chat-view').dataset.view = 'thread';
  $('thread-title').textContent = conversationName(c);
  $('thread-title').title = conversationName(c);
  $('composer').hidden = false;
  renderConversations();
  renderThread({ scroll: true });
  markReadSoon();
  $('composer-input').focus();
}

// ---- messages ----

function thread(id) {
  if (!threads.has(id)) threads.set(id, new Map());
  return threads.get(id);
}

function onMessage(m, own) {
  const entries = thread(m.conversation_id);
  const key = `${m.sender_id}\n${m.client_id}`;
  const entry = entries.get(key) ?? { status: 'sent' };
  Object.assign(entry, m, { own, status: entry.status === 'pending' ? 'sent' : entry.status });
  entries.set(key, entry);
  const c = conversations.get(m.conversation_id);
  if (c) {
    c.last_ts = Math.max(c.last_ts, m.ts);
    c.preview = m.body;
    if (!own && m.conversation_id !== openId && c.ready) c.unread += 1;
  }
  applyReceipts(entry);
  renderConversations();
  if (m.conversation_id === openId) {
    renderThread();
    markReadSoon();
  }
}

function send(body) {
  const promise = client.send(openId, body);
  promise.catch(() => {}); // failures arrive as send:failed
  thread(openId).set(`${me}\n${promise.clientId}`, {
    conversation_id: openId, client_id: promise.clientId, sender_id: me, body, own: true, status: 'pending', ts: Date.now(),
  });
  renderThread({ scroll: true });
}

function onAck(ack) {
  const entry = thread(ack.conversation_id).get(`${me}\n${ack.client_id}`);
  if (!entry) return;
  Object.assign(entry, { message_id: ack.message_id, seq: ack.seq, ts: ack.ts });
  if (entry.status === 'pending') entry.status = 'sent';
  applyReceipts(entry);
  if (ack.conversation_id === openId) renderThread();
}

function onReceipt(status, r) {
  const seen = receipts.get(r.message_id) ?? { delivered: new Set(), read: new Set() };
  seen.delivered.add(r.user_id);
  if (status === 'read') seen.read.add(r.user_id);
  receipts.set(r.message_id, seen);
  for (const entry of thread(r.conversation_id).values()) {
    if (entry.message_id === r.message_id) applyReceipts(entry);
  }
  if (r.conversation_id === openId) renderThread();
}

/** ✓✓ once every other member has the message; blue once every other member has read it. */
function applyReceipts(entry) {
  const seen = entry.own && entry.message_id && receipts.get(entry.message_id);
  if (!seen) return;
  const members = conversations.get(entry.conversation_id)?.members ?? [];
  const others = members.filter((m) => m !== me);
  const all = (set) => (others.length ? others.every((u) => set.has(u)) : set.size > 0);
  if (all(seen.read)) entry.status = 'read';
  else if (all(seen.delivered) && entry.status !== 'read') entry.status = 'delivered';
}

let readTimer = null;
function markReadSoon() {
  clearTimeout(readTimer);
  readTimer = setTimeout(() => {
    if (openId && document.visibilityState === 'visible') client.markRead(openId).catch(() => {});
  }, 300);
}

// ---- rendering ----

const STATUS_TEXT = { pending: '…', sent: '✓', delivered: '✓✓', read: '✓✓', failed: '!' };
const STATUS_TITLE = { pending: 'sending', sent: 'sent', delivered: 'delivered', read: 'read', failed: 'not sent' };

function renderThread({ scroll = false } = {}) {
  const list = $('messages');
  const nearBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 80;
  const entries = [...thread(openId).values()].sort((a, b) => (a.seq ?? Infinity) - (b.seq ?? Infinity) || a.ts - b.ts);
  list.replaceChildren(...entries.map(renderMessage));
  if (scroll || nearBottom) list.scrollTop = list.scrollHeight;
}

function renderMessage(entry) {
  const li = document.createElement('li');
  li.className = entry.own ? 'message own' : 'message';
  li.dataset.testid = 'message';
  li.dataset.own = String(entry.own);
  if (entry.seq) li.dataset.seq = String(entry.seq);
  const members = conversations.get(entry.conversation_id)?.members ?? [];
  if (!entry.own && members.length > 2) {
    const who = document.createElement('span');
    who.className = 'sender';
    who.textContent = entry.sender_id;
    li.append(who);
  }
  const body = document.createElement('span');
  body.className = 'body';
  body.dataset.testid = 'message-body';
  body.textContent = entry.body;
  const meta = document.createElement('span');
  meta.className = 'meta';
  meta.textContent = new Date(entry.ts).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  li.append(body, meta);
  if (entry.own) {
    li.dataset.status = entry.status;
    const status = document.createElement('span');
    status.className = `status ${entry.status}`;
    status.dataset.testid = 'message-status';
    status.title = STATUS_TITLE[entry.status];
    status.textContent = STATUS_TEXT[entry.status];
    meta.append(' ', status);
  }
  if (entry.status === 'failed') {
    const failure = document.createElement('span');
    failure.className = 'failure';
    failure.dataset.testid = 'message-error';
    failure.textContent = `not sent: ${entry.error}`;
    li.append(failure);
  }
  return li;
}

function renderConversations() {
  const sorted = [...conversations.values()].sort((a, b) => b.last_ts - a.last_ts || a.id.localeCompare(b.id));
  $('conv-empty').hidden = sorted.length > 0;
  $('conv-list').replaceChildren(...sorted.map((c) => {
    const li = document.createElement('li');
    li.dataset.testid = 'conv-item';
    li.dataset.conversationId = c.id;
    li.dataset.name = conversationName(c);
    li.className = c.id === openId ? 'active' : '';
    li.tabIndex = 0;
    const name = document.createElement('span');
    name.className = 'name';
    name.textContent = conversationName(c);
    name.title = conversationName(c);
    const preview = document.createElement('span');
    preview.className = 'preview';
    preview.textContent = c.preview;
    li.append(name, preview);
    if (c.unread) {
      const badge = document.createElement('span');
      badge.className = 'badge';
      badge.dataset.testid = 'unread';
      badge.textContent = String(c.unread);
      li.append(badge);
    }
    return li;
  }));
}

let countdown = null;
function renderConnection(s) {
  $('conn-state').dataset.state = s.state;
  const el = $('conn-text');
  // Waiting out a backoff after, say, a server restart: let the person skip the wait.
  $('retry-now').hidden = !(s.state === 'reconnecting' && s.retryAt > 0);
  clearInterval(countdown);
  const paint = () => {
    if (s.state === 'connected') el.textContent = 'online';
    else if (s.state === 'connecting') el.textContent = 'connecting…';
    else if (s.state === 'closed') el.textContent = 'offline';
    else {
      const seconds = Math.ceil((s.retryAt - Date.now()) / 1000);
      el.textContent = seconds > 0 ? `reconnecting in ${seconds} s` : 'reconnecting…';
    }
  };
  paint();
  if (s.state === 'reconnecting') countdown = setInterval(paint, 250);
}

// ---- wiring ----

$('login-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const user = $('login-name').value.trim();
  $('login-error').textContent = '';
  try {
    await signIn(user);
  } catch (err) {
    me = null;
    $('login-error').textContent = `Could not sign in: ${err.message}`;
  }
});

// The browser's own validation can block the next submit, so an earlier error would stay up, stale.
$('new-chat-name').addEventListener('input', () => { $('new-chat-error').textContent = ''; });

$('new-chat-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const peer = $('new-chat-name').value.trim();
  $('new-chat-error').textContent = '';
  if (!USER_PATTERN.test(peer) || peer === me) {
    $('new-chat-error').textContent = 'Enter another user’s name.';
    return;
  }
  try {
    await startChat(peer);
    $('new-chat-name').value = '';
  } catch (err) {
    $('new-chat-error').textContent = `Could not start the chat: ${err.message}`;
  }
});

$('conv-list').addEventListener('click', (event) => {
  const item = event.target.closest('[data-conversation-id]');
  if (item) openConversation(item.dataset.conversationId);
});
$('conv-list').addEventListener('keydown', (event) => {
  const item = event.target.closest('[data-conversation-id]');
  if (item && event.key === 'Enter') openConversation(item.dataset.conversationId);
});

$('composer').addEventListener('submit', (event) => {
  event.preventDefault();
  const input = $('composer-input');
  if (!openId || !input.value.trim()) return;
  send(input.value);
  input.value = '';
});

$('back').addEventListener('click', () => { $('chat-view').dataset.view = 'list'; });
$('logout').addEventListener('click', signOut);
$('retry-now').addEventListener('click', () => client?.reconnectNow());
// The network or the page is back: reconnect now rather than after the rest of the backoff.
window.addEventListener('online', () => client?.reconnectNow());
window.addEventListener('focus', () => {
  if (client) {
    client.reconnectNow();
    relist();
  }
});
document.addEventListener('visibilitychange', () => {
  if (client && document.visibilityState === 'visible') {
    client.reconnectNow();
    relist();
    markReadSoon();
  }
});

const remembered = sessionStorage.getItem('parley.user');
if (remembered) signIn(remembered).catch(() => sessionStorage.removeItem('parley.user'));
