// Test support: a seeded rollcalld, the board server (server.js, as users
// start it) and Debian's chromium driven by playwright-core.
//
// Binaries: $ROLLCALLD and $ROLLCALL_CLI as for the Node client's tests;
// the browser: $CHROMIUM (default /usr/bin/chromium).

import { spawn } from 'node:child_process';
import fs from 'node:fs';
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
    return board;
  }

  constructor(rollcalldAddress) {
    this.rollcalldAddress = rollcalldAddress;
    this.url = null;
  }

  // Stops the board server and starts it again on the same port.
  async restart() {
    await this.stop();
    const listen = new URL(this.url).host;
    this.url = null;
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
        if (match && !this.url) {
          clearTimeout(timer);
          this.url = match[1];
          resolve();
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        if (!this.url) reject(new Error(`the board exited (${code}) before listening:\n${this.stderr}`));
      });
    });
  }

  async stop() {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    await this.exited;
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
    const page = await context.newPage();
    page.on('pageerror', (error) => this.pageErrors.push(error));
    await page.goto(`${this.board.url}${path}`);
    await page.fill('#token-input', token);
    await page.click('#signin-button');
    return page;
  }

  // Stops whatever started, the last first.
  async close() {
    this.admin?.close();
    await this.browser?.close();
    await this.board?.stop();
    await this.rollcalld?.close();
  }
}
