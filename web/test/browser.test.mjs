// The chat page in Debian's Chromium, driven by playwright-core, against the real server.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';
import { ARTIFACTS, ParleyServer } from './support/server.mjs';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const WAIT_MS = 30000;
const PUBLIC = join(dirname(fileURLToPath(import.meta.url)), '../public');

const LONG_NAME = 'maximilian.alexander-worthington_the_third@example.org';
const LONG_PEER = 'charlotte.elisabeth-montgomery_fitzgerald@example.org';
const PHONE = { width: 375, height: 740 };

let server;
let browser;
const pageErrors = [];
const notFound = []; // every 404 the pages met, /favicon.ico included

before(async () => {
  server = await new ParleyServer({ name: 'browser-test-server' }).start();
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
});

after(async () => {
  await browser?.close();
  await server?.dispose();
});

async function openPage(name, viewport, { beforeLoad = async () => {} } = {}) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.setDefaultTimeout(WAIT_MS);
  page.on('pageerror', (err) => pageErrors.push(`${name}: ${err.message}`));
  page.on('response', (res) => { if (res.status() === 404) notFound.push(`${name}: ${res.url()}`); });
  await beforeLoad(page);
  await page.goto(`${server.baseUrl}/`);
  assert.equal(await page.title(), 'Parley');
  await page.getByTestId('login-name').fill(name);
  await page.getByTestId('login-submit').click();
  await connectionIs(page, 'connected', 'online');
  return page;
}

function connectionIs(page, state, text) {
  return page.waitForFunction(([s, t]) => {
    const el = document.querySelector('[data-testid="conn-state"]');
    return el.dataset.state === s && el.textContent.startsWith(t);
  }, [state, text]);
}

function bodies(page) {
  return page.getByTestId('message-body').allTextContents();
}

function statusOf(page, body) {
  return page.getByTestId('message').filter({ hasText: body }).getByTestId('message-status');
}

async function waitForBodies(page, expected) {
  await page.waitForFunction((want) => {
    const got = [...document.querySelectorAll('[data-testid="message-body"]')].map((el) => el.textContent);
    return want.every((body) => got.includes(body));
  }, expected);
}

async function noHorizontalScroll(page) {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
}

/** Asserts the element is shown and lies wholly inside the viewport's width. */
async function onScreen(page, testid) {
  const locator = page.getByTestId(testid);
  assert.ok(await locator.isVisible(), `${testid} is visible`);
  const box = await locator.boundingBox();
  const width = page.viewportSize().width;
  assert.ok(box.x >= 0 && box.x + box.width <= width, `${testid} at x ${box.x}..${box.x + box.width} fits in ${width} px`);
}

/** Asserts the element's text is cut short with an ellipsis rather than wrapped or spilling over. */
async function truncated(locator, what) {
  const style = await locator.evaluate((el) => ({
    ellipsis: getComputedStyle(el).textOverflow === 'ellipsis',
    cut: el.scrollWidth > el.clientWidth,
    right: el.getBoundingClientRect().right,
  }));
  assert.ok(style.ellipsis, `${what} ends with an ellipsis`);
  assert.ok(style.cut, `${what} is cut short`);
  assert.ok(style.right <= locator.page().viewportSize().width, `${what} ends inside the viewport`);
}

/** Waits until the page waits out a reconnect backoff with at least `atLeast` seconds to go; returns them. */
async function backoffWithSecondsLeft(page, atLeast) {
  const handle = await page.waitForFunction((min) => {
    const text = document.querySelector('[data-testid="conn-text"]').textContent;
    const seconds = Number(/^reconnecting in (\d+) s$/.exec(text)?.[1] ?? 0);
    return seconds >= min && !document.querySelector('[data-testid="retry-now"]').hidden && seconds;
  }, atLeast, { timeout: 90000 });
  return handle.jsonValue();
}

test('the server serves web/public at / with the right content types', async () => {
  const files = { '/': 'index.html', '/parley.js': 'parley.js', '/app.js': 'app.js', '/style.css': 'style.css' };
  for (const [path, file] of Object.entries(files)) {
    const res = await fetch(server.baseUrl + path);
    assert.equal(res.status, 200, path);
    const type = { html: 'text/html', js: 'text/javascript', css: 'text/css' }[file.split('.').pop()];
    assert.match(res.headers.get('content-type') ?? '', new RegExp(`^${type}`), `${path} content-type`);
    assert.equal(await res.text(), readFileSync(join(PUBLIC, file), 'utf8'),
      `${path} differs from web/public/${file}: the server jar is stale (mvn -B -DskipTests package -pl server -am)`);
  }
});

test('alice and bob chat, and bob gets messages sent across a server restart once, in order', async () => {
  const alice = await openPage('alice', { width: 1280, height: 800 });
  const bob = await openPage('bob', { width: 375, height: 740 });

  // alice starts a 1:1 with bob and sends.
  await alice.getByTestId('new-chat-name').fill('bob');
  await alice.getByTestId('new-chat-submit').click();
  await alice.getByTestId('thread-title').filter({ hasText: 'bob' }).waitFor();
  await alice.getByTestId('composer-input').fill('hi bob');
  await alice.getByTestId('composer-send').click();

  // bob's page lists the new conversation by itself, and shows the message.
  await bob.locator('[data-testid="conv-item"][data-name="alice"]').click();
  await waitForBodies(bob, ['hi bob']);
  assert.deepEqual(await bodies(bob), ['hi bob']);

  // alice sees it delivered (✓✓; read turns it blue, still ✓✓).
  await statusOf(alice, 'hi bob').filter({ hasText: '✓✓' }).waitFor();

  // The server restarts while bob's page is open; alice sends two more meanwhile.
  await server.stop();
  await connectionIs(bob, 'reconnecting', 'reconnecting');
  await connectionIs(alice, 'reconnecting', 'reconnecting');
  await alice.getByTestId('composer-input').fill('two');
  await alice.getByTestId('composer-send').click();
  await statusOf(alice, 'two').filter({ hasText: '…' }).waitFor();
  await server.start();
  await connectionIs(alice, 'connected', 'online');
  await alice.getByTestId('composer-input').fill('three');
  await alice.getByTestId('composer-send').click();

  await waitForBodies(bob, ['two', 'three']);
  await connectionIs(bob, 'connected', 'online');
  assert.deepEqual(await bodies(bob), ['hi bob', 'two', 'three'], 'each message once, in order');
  for (const body of ['hi bob', 'two', 'three']) await statusOf(alice, body).filter({ hasText: '✓✓' }).waitFor();
  assert.deepEqual(await bodies(alice), ['hi bob', 'two', 'three']);
  // bob has the conversation open, so alice's messages end up read (blue ✓✓).
  await alice.locator('[data-testid="message"][data-status="read"]').nth(2).waitFor();

  assert.ok(await noHorizontalScroll(alice), 'desktop page fits its width');
  assert.ok(await noHorizontalScroll(bob), 'phone page fits its width');
  await alice.screenshot({ path: join(ARTIFACTS, 'alice-desktop.png') });
  await bob.screenshot({ path: join(ARTIFACTS, 'bob-phone.png') });
  assert.deepEqual(pageErrors, []);
  assert.deepEqual(notFound, [], 'no 404s: the page has its own icon');
});

test('on a phone a long user id is cut short and Sign out, the badge and refusals stay readable', async () => {
  const page = await openPage(LONG_NAME, PHONE);
  await onScreen(page, 'logout');
  await onScreen(page, 'conn-state');
  await truncated(page.getByTestId('me'), 'the name in the top bar');
  assert.equal(await page.getByTestId('me').getAttribute('title'), LONG_NAME, 'the full name on hover');

  // The empty list says so at the top, right under the form, not at the bottom of the screen.
  const form = await page.getByTestId('new-chat-form').boundingBox();
  const empty = await page.getByTestId('conv-empty').boundingBox();
  assert.ok(empty.y < form.y + form.height + 60, `"No conversations yet" at y ${empty.y}, under the form`);

  // An error from the app goes away as soon as the name is edited, even if the browser blocks the next submit.
  await page.getByTestId('new-chat-name').fill(LONG_NAME);
  await page.getByTestId('new-chat-submit').click();
  await page.getByTestId('new-chat-error').filter({ hasText: 'Enter another user’s name.' }).waitFor();
  await page.getByTestId('new-chat-name').fill('not valid!');
  assert.equal(await page.getByTestId('new-chat-error').textContent(), '');

  await page.getByTestId('new-chat-name').fill(LONG_PEER);
  await page.getByTestId('new-chat-submit').click();
  await page.getByTestId('thread-title').filter({ hasText: LONG_PEER }).waitFor();
  await truncated(page.getByTestId('thread-title'), 'the conversation header');
  await onScreen(page, 'logout');

  // A message the server refuses says why, in words, next to it.
  const tooBig = 'x'.repeat(20000);
  await page.getByTestId('composer-input').fill(tooBig);
  await page.getByTestId('composer-send').click();
  const refused = page.getByTestId('message').filter({ has: page.getByTestId('message-error') });
  await refused.waitFor();
  assert.equal(await refused.getByTestId('message-error').textContent(), 'not sent: body is 20000 bytes; the limit is 16384');
  assert.ok(await refused.getByTestId('message-error').isVisible());
  await page.screenshot({ path: join(ARTIFACTS, 'refused-phone.png') });

  await page.getByTestId('back').click();
  await truncated(page.locator('[data-testid="conv-item"] .name'), 'the name in the conversation list');
  await onScreen(page, 'logout');
  assert.ok(await noHorizontalScroll(page), 'phone page fits its width');
  await page.screenshot({ path: join(ARTIFACTS, 'long-name-phone.png') });
  assert.deepEqual(pageErrors, []);
});

test('while reconnecting the badge offers "retry now", which reconnects without waiting out the backoff', async () => {
  // The page's WebSockets pass through Playwright, which can turn them away as a restarting server would.
  let away = false;
  const open = new Set();
  const page = await openPage(`${LONG_NAME.slice(0, 40)}-r`, PHONE, {
    beforeLoad: (p) => p.routeWebSocket(/\/ws$/, (ws) => {
      if (away) {
        ws.close({ code: 1001, reason: 'test: server restarting' });
        return;
      }
      ws.connectToServer();
      open.add(ws);
    }),
  });
  assert.ok(await page.getByTestId('retry-now').isHidden(), 'no retry control while online');

  const goAway = async () => {
    away = true;
    for (const ws of open) await ws.close({ code: 1001, reason: 'test: server restarting' });
    open.clear();
  };
  await goAway();
  // A backoff with at least 3 s to go, so a reconnect before it ends is the button's doing.
  const secondsLeft = await backoffWithSecondsLeft(page, 3);
  await onScreen(page, 'retry-now');
  await onScreen(page, 'logout');
  assert.ok(await noHorizontalScroll(page), 'the badge with its control fits a phone');
  await page.screenshot({ path: join(ARTIFACTS, 'reconnecting-phone.png') });

  away = false;
  const clicked = Date.now();
  await page.getByTestId('retry-now').click();
  await connectionIs(page, 'connected', 'online');
  const tookMs = Date.now() - clicked;
  assert.ok(tookMs < (secondsLeft - 1) * 1000, `online after ${tookMs} ms, before the ${secondsLeft} s backoff ran out`);
  assert.ok(await page.getByTestId('retry-now').isHidden(), 'no retry control once online');

  // The browser saying the network is back does the same.
  await goAway();
  const secondsLeftAgain = await backoffWithSecondsLeft(page, 3);
  away = false;
  const online = Date.now();
  await page.evaluate(() => window.dispatchEvent(new Event('online')));
  await connectionIs(page, 'connected', 'online');
  assert.ok(Date.now() - online < (secondsLeftAgain - 1) * 1000, 'the online event reconnected before the backoff ran out');
  assert.deepEqual(pageErrors, []);
});
