// Test support: a seeded rollcalld, the board server (server.js, as users
// start it) and Debian's chromium driven by playwright-core.
//
// Binaries: $ROLLCALLD and $ROLLCALL_CLI as for the Node client's tests;
// the browser: $CHROMIUM (default /usr/bin/chromium).
//
// Adverse timing, for the tests only: $ROLLCALL_WEB_TEST_API_DELAY_MS=N
// holds back every /api/ answer in the browser by a random 0..N ms (each
// page opened by a test, through page.route), and
// $ROLLCALL_WEB_TEST_STREAM_DELAY_MS=N every event of the board server's
// streams by a random 0..N ms, in order (a proxy in front of the board
// server). The page must come to the same state whatever the order.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { Client } from '@rollcall/client';
import { RollcalldProcess, makeTempDir, runCli } from '../../node/testing/rollcalld.js';

const WEB_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const REPO_DIR = path.resolve(WEB_DIR, '..', '..');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const LISTENING = /rollcall-board listening on (http:\/\/\S+)/;
const STARTUP_TIMEOUT_MS = 10_000;

export { RollcalldProcess, runCli };

export const API_DELAY_MS = Number(process.env.ROLLCALL_WEB_TEST_API_DELAY_MS ?? 0);
export const STREAM_DELAY_MS = Number(process.env.ROLLCALL_WEB_TEST_STREAM_DELAY_MS ?? 0);

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const isStream = (url) => url.pathname.startsWith('/api/') && url.pathname.endsWith('/stream');

// Holds back every /api/ answer (but the streams, which never end) to
// `target`'s pages (a page or a browser context) by a random 0..maxMs.
// The tests' own routes on a page take precedence.
export async function delayApiAnswers(target, maxMs = API_DELAY_MS) {
  if (!maxMs) return;
  await target.route((url) => url.pathname.startsWith('/api/') && !isStream(url), async (route) => {
    const response = await route.fetch().catch(() => null);
    await sleep(Math.random() * maxMs);
    // The board server may be down (then the page sees a network error), or
    // the page closed meanwhile.
    await (response ? route.fulfill({ response }) : route.abort()).catch(() => {});
  });
}

// An HTTP proxy in front of `target` (the board server's URL) that holds
// back each event of a text/event-stream answer by a random 0..maxMs,
// keeping their order, as a loaded server or network may; the rest passes
// at once. Returns the listening http.Server.
async function startStreamDelayProxy(target, maxMs) {
  const proxy = http.createServer((request, response) => {
    const { hostname, port } = new URL(target);
    const upstream = http.request({ hostname, port, method: request.method, path: request.url, headers: request.headers }, (answer) => {
      response.writeHead(answer.statusCode, answer.headers);
      if (!/^text\/event-stream/.test(answer.headers['content-type'] ?? '')) {
        answer.pipe(response);
        return;
      }
      let queue = Promise.resolve();
      let due = 0;
      let buffer = '';
      const later = (write) => {
        due = Math.max(due, Date.now() + Math.random() * maxMs);
        const at = due;
        queue = queue.then(() => sleep(at - Date.now())).then(() => { if (!response.destroyed) write(); });
      };
      answer.setEncoding('utf8');
      answer.on('data', (chunk) => {
        buffer += chunk;
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, end + 2);
          buffer = buffer.slice(end + 2);
          later(() => response.write(block));
        }
      });
      answer.on('close', () => later(() => response.end()));
    });
    upstream.on('error', () => response.destroy());
    response.on('close', () => upstream.destroy());
    request.pipe(upstream);
  });
  await new Promise((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return proxy;
}

// Runs the CLI and fails with its stderr unless it succeeds; returns stdout.
export async function cli(address, args) {
  const { code, stdout, stderr } = await runCli(address, args);
  if (code !== 0) throw new Error(`rollcall ${args.join(' ')} exited ${code}: ${stderr}`);
  return stdout;
}

// One token per role, for a rollcalld started with `tokens: true`.
export const TOKENS = Object.freeze({
  reader: 'reader-token-0123456789abcdef',
  writer: 'writer-token-0123456789abcdef',
  admin: 'admin-token-0123456789abcdef',
});

// A rollcalld on a fresh data directory holding the actor directory and the
// Niger data set, loaded with the CLI. With `tokens`, it checks TOKENS
// (--tokens_file) and `server.tokens` is TOKENS.
export async function startSeededRollcalld({ tokens = false } = {}) {
  const flags = [];
  if (tokens) {
    const file = path.join(makeTempDir('rollcall-board-tokens-'), 'tokens');
    fs.writeFileSync(file, Object.entries(TOKENS).map(([role, token]) => `${role}-user ${role} ${token}\n`).join(''));
    // The data set is loaded one statement a call: no write rate limit.
    flags.push(`--tokens_file=${file}`, '--write_rate=0');
  }
  const server = await RollcalldProcess.start({ flags });
  const auth = tokens ? ['--token', TOKENS.admin] : [];
  await cli(server.address, [...auth, 'import', path.join(REPO_DIR, 'data', 'actors.jsonl')]);
  await cli(server.address, [...auth, 'import', path.join(REPO_DIR, 'data', 'niger-coup-2023.jsonl')]);
  if (tokens) server.tokens = TOKENS;
  return server;
}

// The board server (node server.js) for `rollcalldAddress`, on a free port.
export class BoardProcess {
  static async start(rollcalldAddress) {
    const board = new BoardProcess(rollcalldAddress);
    await board.#spawn('127.0.0.1:0');
    if (STREAM_DELAY_MS) {
      // The board server keeps its port across restarts.
      const server = board.serverUrl;
      board.proxy = await startStreamDelayProxy(server, STREAM_DELAY_MS);
      board.url = `http://127.0.0.1:${board.proxy.address().port}`;
    }
    return board;
  }

  constructor(rollcalldAddress) {
    this.rollcalldAddress = rollcalldAddress;
    this.serverUrl = null;  // the board server's own
    this.url = null;        // what the tests use: the server, or the proxy before it
    this.proxy = null;
  }

  // Stops the board server and starts it again on the same port.
  async restart() {
    await this.stop();
    const listen = new URL(this.serverUrl).host;
    this.serverUrl = null;
    await this.#spawn(listen);
  }

  #spawn(listen) {
    const child = spawn(process.execPath,
      [path.join(WEB_DIR, 'server.js'), '--rollcalld', this.rollcalldAddress, '--listen', listen],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    this.stderr = '';
    this.exited = new Promise((resolve) => child.once('exit', resolve));
    child.stderr.setEncoding('utf8').on('data', (chunk) => { this.stderr += chunk; });
    this.stdout = '';
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`the board did not start within ${STARTUP_TIMEOUT_MS} ms:\n${this.stderr}`));
      }, STARTUP_TIMEOUT_MS);
      child.stdout.setEncoding('utf8').on('data', (chunk) => {
        this.stdout += chunk;
        const match = LISTENING.exec(this.stdout);
        if (match && !this.serverUrl) {
          clearTimeout(timer);
          this.serverUrl = match[1];
          this.url ??= this.serverUrl;
          resolve();
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        if (!this.serverUrl) reject(new Error(`the board exited (${code}) before listening:\n${this.stderr}`));
      });
    });
  }

  async stop() {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    await this.exited;
  }

  // Stops the board server and the proxy before it, if any.
  async close() {
    await this.stop();
    this.proxy?.closeAllConnections();
    await new Promise((resolve) => (this.proxy ? this.proxy.close(resolve) : resolve()));
  }
}

// Headless chromium from Debian; playwright-core downloads no browser.
export function launchBrowser() {
  const args = process.getuid?.() === 0 ? ['--no-sandbox'] : [];
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args });
}

// What the review desk's and the entry page's tests share: a seeded
// rollcalld checking TOKENS, the board server for it, the browser, a client
// with the admin token, and the errors thrown in every page opened. Start
// it in before() and close it in after().
export class Desk {
  static async start() {
    const desk = new Desk();
    try {
      desk.rollcalld = await startSeededRollcalld({ tokens: true });
      desk.board = await BoardProcess.start(desk.rollcalld.address);
      desk.browser = await launchBrowser();
      desk.admin = new Client(desk.rollcalld.address, { token: TOKENS.admin });
    } catch (error) {
      await desk.close();
      throw error;
    }
    return desk;
  }

  constructor() {
    this.rollcalld = null;
    this.board = null;
    this.browser = null;
    this.admin = null;
    this.pageErrors = [];
  }

  // A page of a new browser context at the board's `path`, signed in with
  // `token` (the sign-in is clicked, not awaited).
  async open(path, token, viewport = { width: 1440, height: 900 }) {
    const context = await this.browser.newContext({ viewport });
    context.setDefaultTimeout(60_000);
    await delayApiAnswers(context);
    const page = await context.newPage();
    page.on('pageerror', (error) => this.pageErrors.push(error));
    await page.goto(`${this.board.url}${path}`);
    await page.fill('#token-input', token);
    // The board and the entry form load again once signed in: what the
    // test waits for next must be the new page's, not the old one's.
    const reloads = !path.startsWith('/review');
    await Promise.all([reloads && page.waitForEvent('load'), page.click('#signin-button')]);
    return page;
  }

  // Stops whatever started, the last first.
  async close() {
    this.admin?.close();
    await this.browser?.close();
    await this.board?.close();
    await this.rollcalld?.close();
  }
}
