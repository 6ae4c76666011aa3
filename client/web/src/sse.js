// A Server-Sent Events stream on an HTTP response: named events with JSON
// data and an optional id (which the browser sends back as Last-Event-ID
// when it reconnects), and a comment now and then so that idle proxies keep
// the connection open.

const KEEP_ALIVE_MS = 15_000;

export class EventStream {
  #response;
  #keepAlive;

  // Sends the headers; `retryMs` is how long the browser waits before
  // reconnecting.
  constructor(response, { retryMs = 1000 } = {}) {
    this.#response = response;
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    response.write(`retry: ${retryMs}\n\n`);
    this.#keepAlive = setInterval(() => response.write(': keep-alive\n\n'), KEEP_ALIVE_MS);
  }

  get closed() {
    return this.#response.writableEnded || this.#response.destroyed;
  }

  // Writes one event; resolves once the data is handed to the socket
  // (waiting for 'drain' when a slow browser fills the buffer).
  async send(name, data, id) {
    if (this.closed) return;
    const lines = [`event: ${name}`];
    if (id !== undefined) lines.push(`id: ${id}`);
    lines.push(`data: ${JSON.stringify(data)}`, '', '');
    if (!this.#response.write(lines.join('\n'))) {
      await new Promise((resolve) => {
        this.#response.once('drain', resolve);
        this.#response.once('close', resolve);
      });
    }
  }

  end() {
    clearInterval(this.#keepAlive);
    if (!this.closed) this.#response.end();
  }
}
