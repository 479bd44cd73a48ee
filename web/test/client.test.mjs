// parley.js against the real server: run with node --experimental-websocket --test (see package.json).
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { backoffDelay, DEFAULT_BACKOFF, MemoryStorage, ParleyClient, ParleyError } from '../public/parley.js';
import { EventRecorder, recordingWebSocket } from './support/recorder.mjs';
import { ParleyServer } from './support/server.mjs';

const FAST_BACKOFF = { baseMs: 50, factor: 2, capMs: 400, resetAfterMs: 30000 };
// The server signs dev tokens with this secret too, so tests can mint short-lived tokens of their own.
const JWT_SECRET = 'parley-web-tests-secret-0123456789abcdef';

let server;
const clients = [];
let userSeq = 0;

/** A distinct user per test, so tests share one server without seeing each other's conversations. */
function user(name) {
  userSeq += 1;
  return `${name}${userSeq}`;
}

function connect(userId, options = {}) {
  const client = new ParleyClient({
    url: server.wsUrl,
    getToken: () => server.token(userId),
    backoff: FAST_BACKOFF,
    ...options,
  });
  const events = new EventRecorder(client);
  clients.push(client);
  client.connect();
  return { client, events };
}

/** A port that refuses connections: bound once by the OS, then released. */
async function closedPort() {
  const probe = createServer();
  await new Promise((r) => probe.listen(0, '127.0.0.1', r));
  const { port } = probe.address();
  await new Promise((r) => probe.close(r));
  return port;
}

function connectedTimes(events, n) {
  return () => events.states().filter((s) => s === 'connected').length >= n;
}

before(async () => {
  server = await new ParleyServer({ name: 'client-test-server', extraArgs: ['--jwt-secret', JWT_SECRET] }).start();
});

after(async () => {
  for (const client of clients) client.close();
  await server?.dispose();
});

describe('backoff', () => {
  test('full jitter stays below min(cap, base * factor^attempt)', () => {
    const b = DEFAULT_BACKOFF;
    for (let attempt = 0; attempt < 12; attempt++) {
      const ceiling = Math.min(b.capMs, b.baseMs * b.factor ** attempt);
      assert.equal(backoffDelay(attempt, b, () => 0), 0);
      assert.equal(backoffDelay(attempt, b, () => 0.999999), ceiling - 1);
      for (let i = 0; i < 50; i++) {
        const delay = backoffDelay(attempt, b);
        assert.ok(delay >= 0 && delay < ceiling, `attempt ${attempt}: ${delay} not in [0, ${ceiling})`);
      }
    }
    assert.equal(backoffDelay(40, b, () => 0.5), 15000, 'the cap holds for large attempts');
  });

  test('a client with a nonsensical backoff or no WebSocket is refused at construction', () => {
    const getToken = async () => 'token';
    assert.throws(() => new ParleyClient({ url: 'ws://x/ws', getToken, backoff: { factor: 0.5 } }),
      { name: 'RangeError', message: 'backoff needs baseMs > 0, capMs >= baseMs, factor >= 1 and resetAfterMs >= 0' });
    assert.throws(() => new ParleyClient({ url: 'ws://x/ws', getToken, WebSocket: null }),
      { message: 'no WebSocket: pass options.WebSocket (Node 20 needs --experimental-websocket)' });
    assert.throws(() => new ParleyClient({ getToken }), { message: 'options.url is required' });
  });

  test('a client that cannot reach the server retries with growing, capped delays', async () => {
    const { client, events } = connect('nobody', { url: `ws://127.0.0.1:${await closedPort()}/ws` });
    const waits = () => events.of('state').filter((e) => e.state === 'reconnecting' && e.retryAt > 0);
    await events.until(() => waits().length >= 6, 'six reconnect waits');
    client.close();
    assert.deepEqual(waits().map((e) => e.attempt).slice(0, 6), [1, 2, 3, 4, 5, 6]);
    for (const e of waits()) {
      const ceiling = Math.min(FAST_BACKOFF.capMs, FAST_BACKOFF.baseMs * FAST_BACKOFF.factor ** (e.attempt - 1));
      assert.ok(e.delayMs >= 0 && e.delayMs < ceiling, `attempt ${e.attempt}: delay ${e.delayMs} not below ${ceiling}`);
    }
    assert.equal(events.states().at(-1), 'closed');
  });
});

describe('auth', () => {
  test('a dev token connects and names the user', async () => {
    const alice = user('alice');
    const { client, events } = connect(alice);
    await events.next('state', (e) => e.state === 'connected');
    assert.equal(client.userId, alice);
    assert.equal(client.state, 'connected');
    assert.deepEqual(events.states().slice(0, 2), ['connecting', 'connected']);
    assert.ok(client.limits.max_body_bytes > 0);
  });

  test('a token refused twice in a row stops the client instead of retrying forever', async () => {
    const asked = [];
    const { events } = connect('mallory', {
      getToken: async (info) => {
        asked.push(info.refresh);
        return 'not.a.jwt';
      },
    });
    const closed = await events.next('state', (e) => e.state === 'closed');
    assert.equal(closed.reason, 'unauthenticated');
    assert.deepEqual(asked, [false, true], 'one fresh token is tried after the first refusal');
    assert.deepEqual(events.of('disconnected').map((e) => e.code), [4001, 4001]);
  });

  test('a token is refreshed on the open connection before it expires', async () => {
    const alice = user('alice');
    const wire = recordingWebSocket();
    const { events } = connect(alice, {
      WebSocket: wire.WebSocket,
      getToken: async () => ParleyServer.signToken(JWT_SECRET, alice, 4000),
    });
    await events.next('state', (e) => e.state === 'connected');
    const firstExpiry = Date.now() + 4000;
    await events.until(() => wire.frames.received.filter((f) => f.type === 'auth:ok').length >= 2, 'a second auth:ok', 10000);
    await events.until(() => Date.now() > firstExpiry + 1500 && wire.frames.received.some((f) => f.type === 'pong' || f.type === 'auth:ok'),
      'the first token to be long expired', 10000);
    assert.deepEqual(events.of('disconnected'), [], 'the connection outlived its first token');
    assert.equal(wire.frames.sent.filter((f) => f.type === 'auth').length, wire.frames.received.filter((f) => f.type === 'auth:ok').length);
  });

  test('an expired token closes with 4001 and the client comes back with a fresh one', async () => {
    const alice = user('alice');
    let calls = 0;
    const { events } = connect(alice, {
      getToken: async ({ refresh }) => {
        calls += 1;
        if (calls === 1) return ParleyServer.signToken(JWT_SECRET, alice, 2000);
        if (calls === 2) throw new Error('token service down'); // the refresh before expiry fails
        assert.equal(refresh, true, 'after a 4001 the client asks for a fresh token');
        return server.token(alice);
      },
    });
    await events.next('state', (e) => e.state === 'connected');
    const closed = await events.next('disconnected', () => true, 10000);
    assert.equal(closed.code, 4001);
    assert.ok(events.of('error').some((e) => e.code === 'token_unavailable'));
    assert.ok(events.of('error').some((e) => e.code === 'token_expired'), 'the server said why');
    await events.until(connectedTimes(events, 2), 'connected again');
  });

  test('a getToken that gives nothing closes the client', async () => {
    const { events } = connect('nobody', { getToken: async () => null });
    const closed = await events.next('state', (e) => e.state === 'closed');
    assert.equal(closed.reason, 'no token');
  });
});

describe('messages', () => {
  test('send resolves with the ack, the peer gets it once, and the sender sees it delivered', async () => {
    const [alice, bob] = [user('alice'), user('bob')];
    const conv = await server.directConversation(alice, bob);
    const a = connect(alice);
    const b = connect(bob);
    await a.client.subscribe([conv.id]);
    await b.client.subscribe([conv.id]);
    await Promise.all([a.events.next('state', (e) => e.state === 'connected'), b.events.next('state', (e) => e.state === 'connected')]);

    const sending = a.client.send(conv.id, 'hello bob');
    assert.match(sending.clientId, /^[0-9a-f-]{36}$/);
    const ack = await sending;
    assert.equal(ack.type, 'message:ack');
    assert.equal(ack.client_id, sending.clientId);
    assert.equal(ack.seq, 1);

    const got = await b.events.next('message', (e) => e.message.message_id === ack.message_id);
    assert.equal(got.own, false);
    assert.equal(got.message.body, 'hello bob');
    assert.equal(got.message.sender_id, alice);

    const receipt = await a.events.next('receipt', (e) => e.receipt.message_id === ack.message_id);
    assert.equal(receipt.status, 'delivered');
    assert.equal(receipt.receipt.user_id, bob);

    await b.client.markRead(conv.id);
    await a.events.next('receipt', (e) => e.status === 'read' && e.receipt.message_id === ack.message_id);
    assert.equal(b.events.messages(conv.id).length, 1, 'bob got the message exactly once');
    assert.equal(a.client.lastSeq(conv.id), 1, "the sender's own ack advances its cursor");
  });

  test('a send repeated with the same client_id returns the identical ack', async () => {
    const [alice, bob] = [user('alice'), user('bob')];
    const conv = await server.directConversation(alice, bob);
    const { client } = connect(alice);
    const first = await client.send(conv.id, 'once', { clientId: 'fixed-client-id-1' });
    const second = await client.send(conv.id, 'once', { clientId: 'fixed-client-id-1' });
    assert.equal(second.message_id, first.message_id);
    assert.equal(second.seq, first.seq);
    assert.equal(second.ts, first.ts);
  });

  test('a refused send rejects with the server code and leaves the outbox', async () => {
    const [alice, bob, carol] = [user('alice'), user('bob'), user('carol')];
    const conv = await server.directConversation(bob, carol);
    const { client, events } = connect(alice);
    await assert.rejects(client.send(conv.id, 'let me in'), (err) => err instanceof ParleyError && err.code === 'forbidden');
    assert.equal(client.pendingSends().length, 0);
    assert.equal(events.of('send:failed').length, 1);
  });

  test('subscribing to a conversation of others is refused and the rest still subscribes', async () => {
    const [alice, bob, carol] = [user('alice'), user('bob'), user('carol')];
    const mine = await server.directConversation(alice, bob);
    const theirs = await server.directConversation(bob, carol);
    const a = connect(alice);
    await a.events.next('state', (e) => e.state === 'connected');
    await assert.rejects(a.client.subscribe([mine.id, theirs.id]), (err) => err.code === 'forbidden');
    const refused = await a.events.next('error', (e) => e.code === 'forbidden');
    assert.deepEqual(refused.frame.conversation_ids, [theirs.id]);
    const b = connect(bob);
    await b.client.send(mine.id, 'still subscribed');
    await a.events.next('message', (e) => e.message.body === 'still subscribed');
  });
});

describe('gap fill', () => {
  test('a client resumes from its stored cursors, paging through sync, each message once and in order', async () => {
    const [alice, bob] = [user('alice'), user('bob')];
    const conv = await server.directConversation(alice, bob);
    const storage = new MemoryStorage();
    const b1 = connect(bob, { storage, storageKey: `${bob}:` });
    await b1.client.subscribe([conv.id]);
    const a = connect(alice);
    await a.client.send(conv.id, 'm1');
    await b1.events.next('message', (e) => e.message.body === 'm1');
    b1.client.close();

    for (const body of ['m2', 'm3', 'm4', 'm5', 'm6']) await a.client.send(conv.id, body);

    const b2 = connect(bob, { storage, storageKey: `${bob}:`, syncLimit: 2 });
    await b2.client.subscribe([conv.id]);
    await b2.events.until(() => b2.events.messages(conv.id).length >= 5, 'five missed messages');
    assert.deepEqual(b2.events.bodies(conv.id), ['m2', 'm3', 'm4', 'm5', 'm6']);
    assert.deepEqual(b2.events.messages(conv.id).map((m) => m.seq), [2, 3, 4, 5, 6]);

    await a.client.send(conv.id, 'm7');
    await b2.events.next('message', (e) => e.message.body === 'm7');
    assert.deepEqual(b2.events.bodies(conv.id), ['m2', 'm3', 'm4', 'm5', 'm6', 'm7']);
  });

  test('a fresh client with a history limit gets only the newest messages', async () => {
    const [alice, bob] = [user('alice'), user('bob')];
    const conv = await server.directConversation(alice, bob);
    const a = connect(alice);
    for (const body of ['h1', 'h2', 'h3', 'h4']) await a.client.send(conv.id, body);
    const b = connect(bob, { initialHistory: 2 });
    await b.client.subscribe([conv.id]);
    await b.events.until(() => b.events.messages(conv.id).length >= 2, 'two messages');
    assert.deepEqual(b.events.bodies(conv.id), ['h3', 'h4']);
  });
});

describe('reconnectNow', () => {
  test('a waiting reconnect happens at once instead of after its backoff', async () => {
    const alice = user('alice');
    // A backoff of nearly a minute for every attempt: only reconnectNow can bring it back within the test.
    const { client, events } = connect(alice, { backoff: { baseMs: 60000, capMs: 60000 }, random: () => 0.999 });
    await events.next('state', (e) => e.state === 'connected');
    await server.stop();
    const wait = await events.next('state', (e) => e.state === 'reconnecting' && e.retryAt > 0);
    assert.ok(wait.delayMs > 50000, `a long wait (${wait.delayMs} ms)`);
    await server.start();
    client.reconnectNow();
    await events.until(connectedTimes(events, 2), 'connected again', 20000);
    assert.ok(Date.now() < wait.retryAt, 'before the backoff ran out');
    assert.equal(events.of('state').filter((e) => e.state === 'reconnecting' && e.retryAt > 0).length, 1,
      'the attempt itself did not wait');
  });

  test('on a live connection it checks the connection with a ping', async () => {
    const alice = user('alice');
    const { WebSocket, frames } = recordingWebSocket();
    const { client, events } = connect(alice, { WebSocket });
    await events.next('state', (e) => e.state === 'connected');
    client.reconnectNow();
    await events.until(() => frames.received.some((f) => f.type === 'pong'), 'a pong');
    assert.equal(frames.sent.filter((f) => f.type === 'ping').length, 1);
    assert.equal(client.state, 'connected');
  });

  test('after close it does nothing', async () => {
    const { client, events } = connect(user('alice'));
    await events.next('state', (e) => e.state === 'connected');
    client.close();
    client.reconnectNow();
    await new Promise((r) => setTimeout(r, 0));
    assert.equal(client.state, 'closed');
    assert.equal(events.states().at(-1), 'closed');
  });
});

describe('reconnect', () => {
  test('sends made while the server restarts are resent in order and the peer sees each once', async () => {
    const [alice, bob] = [user('alice'), user('bob')];
    const conv = await server.directConversation(alice, bob);
    const a = connect(alice);
    const b = connect(bob);
    await a.client.subscribe([conv.id]);
    await b.client.subscribe([conv.id]);
    await a.client.send(conv.id, 'before');
    await b.events.next('message', (e) => e.message.body === 'before');

    await server.stop();
    await a.events.next('state', (e) => e.state === 'reconnecting');
    await b.events.next('state', (e) => e.state === 'reconnecting');
    const during = [a.client.send(conv.id, 'during 1'), a.client.send(conv.id, 'during 2')];
    assert.equal(a.client.pendingSends().length, 2);
    await server.start();

    const acks = await Promise.all(during);
    assert.deepEqual(acks.map((ack) => ack.seq), [2, 3], 'resent in send order');
    assert.deepEqual(acks.map((ack) => ack.client_id), during.map((p) => p.clientId), 'with the original client_ids');
    await b.events.until(() => b.events.messages(conv.id).length >= 3, "bob's three messages");
    await b.events.until(connectedTimes(b.events, 2), 'bob connected again');
    assert.deepEqual(b.events.bodies(conv.id), ['before', 'during 1', 'during 2']);

    await a.client.send(conv.id, 'after');
    await b.events.next('message', (e) => e.message.body === 'after');
    assert.deepEqual(b.events.bodies(conv.id), ['before', 'during 1', 'during 2', 'after']);
    assert.equal(a.client.pendingSends().length, 0);
  });

  test('a silent connection is declared dead by the pong timeout, and its unacked send goes out again', async () => {
    const [alice, bob] = [user('alice'), user('bob')];
    const conv = await server.directConversation(alice, bob);
    const wire = recordingWebSocket();
    const a = connect(alice, { heartbeatMs: 300, WebSocket: wire.WebSocket });
    const b = connect(bob);
    await b.client.subscribe([conv.id]);
    await a.events.next('state', (e) => e.state === 'connected');
    server.pause();
    let sending;
    try {
      sending = a.client.send(conv.id, 'into the void');
      const dead = await a.events.next('disconnected', () => true, 10000);
      assert.equal(dead.reason, 'no pong');
    } finally {
      server.resume();
    }
    const ack = await sending;
    await a.events.until(connectedTimes(a.events, 2), 'connected again', 30000);
    const sends = wire.frames.sent.filter((f) => f.type === 'message:send');
    assert.equal(sends.length, 2, 'sent once before the drop and once after');
    assert.deepEqual(sends.map((f) => f.client_id), [sending.clientId, sending.clientId]);
    assert.equal(ack.client_id, sending.clientId);
    await b.events.next('message', (e) => e.message.message_id === ack.message_id);
    await a.client.send(conv.id, 'after');
    await b.events.next('message', (e) => e.message.body === 'after');
    assert.deepEqual(b.events.bodies(conv.id), ['into the void', 'after'], 'the peer got it once');
  });

  test('receipts made while the sender was away arrive with the resync', async () => {
    const [alice, bob] = [user('alice'), user('bob')];
    const conv = await server.directConversation(alice, bob);
    let openGate;
    const gate = new Promise((resolve) => { openGate = resolve; });
    let tokens = 0;
    const a = connect(alice, {
      heartbeatMs: 300,
      // The first connect goes straight through; the reconnect waits until bob has read.
      getToken: async () => (tokens++ === 0 ? server.token(alice) : gate.then(() => server.token(alice))),
    });
    await a.client.subscribe([conv.id]);
    await a.events.next('state', (e) => e.state === 'connected');
    const ack = await a.client.send(conv.id, 'are you there?');
    server.pause();
    try {
      await a.events.next('disconnected', () => true, 10000);
    } finally {
      server.resume();
    }

    const b = connect(bob);
    await b.client.subscribe([conv.id]);
    await b.events.next('message', (e) => e.message.message_id === ack.message_id);
    await b.client.markRead(conv.id);
    assert.equal(a.events.of('receipt').length, 0, 'alice was away');
    openGate();

    for (const status of ['delivered', 'read']) {
      const got = await a.events.next('receipt', (e) => e.status === status && e.receipt.message_id === ack.message_id);
      assert.equal(got.synced, true);
      assert.equal(got.receipt.user_id, bob);
    }

    // A brand-new client of alice's learns them with its first sync too.
    const fresh = connect(alice);
    await fresh.client.subscribe([conv.id]);
    await fresh.events.next('receipt', (e) => e.status === 'read' && e.receipt.message_id === ack.message_id && e.synced);
  });

  test('sends over the rate limit wait retry_after_ms and go out again until all are acked', async () => {
    const limited = await new ParleyServer({ name: 'rate-limited-server', extraArgs: ['--send-burst', '5', '--send-rate', '20'] }).start();
    try {
      const [alice, bob] = [user('alice'), user('bob')];
      const conv = await limited.directConversation(alice, bob);
      const wire = recordingWebSocket();
      const client = new ParleyClient({ url: limited.wsUrl, getToken: () => limited.token(alice), WebSocket: wire.WebSocket });
      clients.push(client);
      client.connect();
      const sends = Array.from({ length: 20 }, (_, i) => client.send(conv.id, `burst ${i}`));
      const acks = await Promise.all(sends);
      client.close();
      const limits = wire.frames.received.filter((f) => f.type === 'error' && f.code === 'rate_limited');
      assert.ok(limits.length > 0, 'the server did rate-limit');
      assert.ok(limits.every((f) => f.retry_after_ms >= 0));
      assert.equal(new Set(acks.map((ack) => ack.seq)).size, 20, 'every send was stored once');
      assert.deepEqual(acks.map((ack) => ack.client_id), sends.map((p) => p.clientId));
    } finally {
      await limited.dispose();
    }
  });
});
