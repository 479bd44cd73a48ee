// Records a ParleyClient's events so tests can wait on conditions and check nothing else arrived.
export class EventRecorder {
  static TYPES = ['state', 'message', 'ack', 'receipt', 'send:failed', 'error', 'disconnected'];

  constructor(client) {
    this.events = [];
    this.#waiters = new Set();
    for (const type of EventRecorder.TYPES) {
      client.on(type, (detail) => {
        this.events.push({ type, ...detail });
        for (const waiter of this.#waiters) waiter();
      });
    }
  }

  #waiters;

  of(type) { return this.events.filter((e) => e.type === type); }
  messages(conversationId) {
    return this.of('message').map((e) => e.message).filter((m) => !conversationId || m.conversation_id === conversationId);
  }
  bodies(conversationId) { return this.messages(conversationId).map((m) => m.body); }
  states() { return this.of('state').map((e) => e.state); }

  /** Resolves with the first recorded event of `type` matching `predicate`, waiting up to timeoutMs. */
  next(type, predicate = () => true, timeoutMs = 20000) {
    return this.until(() => this.events.find((e) => e.type === type && predicate(e)), `${type} event`, timeoutMs);
  }

  /** Resolves with the first truthy value of `check`, re-evaluated after every event and every 50 ms. */
  until(check, what = 'condition', timeoutMs = 20000) {
    return new Promise((resolve, reject) => {
      const done = (value) => {
        clearTimeout(timer);
        clearInterval(ticker);
        this.#waiters.delete(poll);
        resolve(value);
      };
      const poll = () => {
        const value = check();
        if (value) done(value);
      };
      const ticker = setInterval(poll, 50); // for conditions on things other than events (the wire, the clock)
      const timer = setTimeout(() => {
        clearInterval(ticker);
        this.#waiters.delete(poll);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; events: ${JSON.stringify(this.events.slice(-15))}`));
      }, timeoutMs);
      this.#waiters.add(poll);
      poll();
    });
  }
}

/** A WebSocket class for `options.WebSocket` that records every frame each way, parsed. */
export function recordingWebSocket() {
  const frames = { sent: [], received: [] };
  class RecordingWebSocket extends globalThis.WebSocket {
    constructor(url) {
      super(url);
      this.addEventListener('message', (event) => frames.received.push(JSON.parse(event.data)));
    }

    send(data) {
      frames.sent.push(JSON.parse(data));
      super.send(data);
    }
  }
  return { WebSocket: RecordingWebSocket, frames };
}
