// The real Parley server as a child process: start on port 0, restart on the same port and data dir.
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const WEB = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const ARTIFACTS = join(WEB, 'test-artifacts');
const JAR = process.env.PARLEY_SERVER_JAR ?? resolve(WEB, '../server/target/parley-server.jar');
const READY = /http:\/\/localhost:(\d+)\//;
const START_TIMEOUT_MS = 60000;
const STOP_TIMEOUT_MS = 20000;

export class ParleyServer {
  #extraArgs;
  #child = null;
  #log;

  constructor({ name = 'server', extraArgs = [] } = {}) {
    if (!existsSync(JAR)) throw new Error(`${JAR} is missing: build it with mvn -B -DskipTests package -pl server -am`);
    this.#extraArgs = extraArgs;
    this.dataDir = mkdtempSync(join(tmpdir(), 'parley-web-'));
    this.port = 0;
    mkdirSync(ARTIFACTS, { recursive: true });
    this.#log = createWriteStream(join(ARTIFACTS, `${name}.log`), { flags: 'w' });
  }

  get baseUrl() { return `http://localhost:${this.port}`; }
  get wsUrl() { return `ws://localhost:${this.port}/ws`; }
  get pid() { return this.#child?.pid; }

  /** Starts the server and resolves once it prints its ready line; a restart reuses the port. */
  async start() {
    // A port just released can still be busy for a moment; try again a few times.
    for (let tries = 1; ; tries++) {
      try {
        this.port = await this.#spawn();
        return this;
      } catch (err) {
        if (this.port === 0 || tries >= 10) throw err;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  #spawn() {
    const args = ['-jar', JAR, '--dev', '--port', String(this.port), '--data-dir', this.dataDir, ...this.#extraArgs];
    this.#log.write(`\n=== java ${args.join(' ')}\n`);
    const child = spawn('java', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.#child = child;
    return new Promise((resolvePort, reject) => {
      let out = '';
      const timer = setTimeout(() => fail(new Error(`server not ready within ${START_TIMEOUT_MS} ms:\n${out}`)), START_TIMEOUT_MS);
      const fail = (err) => {
        clearTimeout(timer);
        child.kill('SIGKILL');
        reject(err);
      };
      child.stdout.on('data', (chunk) => {
        this.#log.write(chunk);
        if (out === null) return;
        out += chunk;
        const match = READY.exec(out);
        if (match) {
          out = null;
          clearTimeout(timer);
          resolvePort(Number(match[1]));
        }
      });
      child.stderr.on('data', (chunk) => {
        this.#log.write(chunk);
        if (out !== null) out += chunk;
      });
      child.on('exit', (code, signal) => {
        this.#log.write(`=== exited code=${code} signal=${signal}\n`);
        if (out !== null) fail(new Error(`server exited (code ${code}, signal ${signal}) before ready:\n${out}`));
      });
    });
  }

  /** SIGTERM (graceful shutdown) and wait for the process to exit. */
  async stop(signal = 'SIGTERM') {
    const child = this.#child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
    this.#child = null;
  }

  async restart() {
    await this.stop();
    await this.start();
  }

  /** Freezes or thaws the process: sockets stay open but nothing answers. */
  pause() { process.kill(this.#child.pid, 'SIGSTOP'); }
  resume() { process.kill(this.#child.pid, 'SIGCONT'); }

  async dispose() {
    if (this.#child) {
      try { this.resume(); } catch { /* not paused */ }
    }
    await this.stop();
    this.#log.end();
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  // ---- HTTP API ----

  async token(userId) {
    const body = await this.http('POST', '/api/dev/token', { user_id: userId });
    return body.token;
  }

  async http(method, path, body, token) {
    const headers = { 'content-type': 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    const res = await fetch(this.baseUrl + path, {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} -> ${res.status} ${text}`);
    return text ? JSON.parse(text) : null;
  }

  /** An HS256 token of our own, for a server started with `--jwt-secret secret`; exp is in whole seconds. */
  static signToken(secret, userId, ttlMs) {
    const part = (obj) => Buffer.from(JSON.stringify(obj)).toString('base64url');
    const now = Date.now();
    const unsigned = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ sub: userId, iat: Math.floor(now / 1000), exp: Math.ceil((now + ttlMs) / 1000) })}`;
    return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
  }

  async directConversation(userId, peer) {
    return this.http('POST', '/api/conversations', { members: [peer], direct: true }, await this.token(userId));
  }
}
