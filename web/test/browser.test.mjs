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

let server;
let browser;
const pageErrors = [];

before(async () => {
  server = await new ParleyServer({ name: 'browser-test-server' }).start();
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
});

after(async () => {
  await browser?.close();
  await server?.dispose();
});

async function openPage(name, viewport) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.setDefaultTimeout(WAIT_MS);
  page.on('pageerror', (err) => pageErrors.push(`${name}: ${err.message}`));
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
});
