// Test support: starts a real rollcalld on a temporary data directory and
// runs the real rollcall CLI. Kept outside test/ because `node --test test/`
// runs every file under test/ as a test file.
//
// Binaries: $ROLLCALLD (default <repo>/build/server/rollcalld) and
// $ROLLCALL_CLI (default <repo>/build/client/cli/rollcall).

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PACKAGE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const REPO_DIR = path.resolve(PACKAGE_DIR, '..', '..');

export const ROLLCALLD = process.env.ROLLCALLD || path.join(REPO_DIR, 'build', 'server', 'rollcalld');
export const ROLLCALL_CLI = process.env.ROLLCALL_CLI || path.join(REPO_DIR, 'build', 'client', 'cli', 'rollcall');
export const NIGER_DATASET = path.join(REPO_DIR, 'data', 'niger-coup-2023.jsonl');

const STARTUP_TIMEOUT_MS = 10_000;
const LISTENING = /rollcalld listening on (\S+)/;

export function makeTempDir(prefix = 'rollcall-node-') {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

// A running rollcalld. Start with RollcalldProcess.start(); stop() sends
// SIGTERM and resolves once it has exited.
export class RollcalldProcess {
  static async start({ dataDir, listen = '127.0.0.1:0', flags = [] } = {}) {
    if (!fs.existsSync(ROLLCALLD)) {
      throw new Error(`rollcalld not found at ${ROLLCALLD}; build it or set ROLLCALLD`);
    }
    const server = new RollcalldProcess(dataDir ?? makeTempDir(), !dataDir);
    await server.#spawn(listen, flags);
    return server;
  }

  constructor(dataDir, ownsDataDir) {
    this.dataDir = dataDir;
    this.ownsDataDir = ownsDataDir;
    this.address = null;
    this.child = null;
    this.stderr = '';
  }

  get port() {
    return Number(this.address.split(':').pop());
  }

  #spawn(listen, flags) {
    this.flags = flags;
    const child = spawn(ROLLCALLD, [`--listen=${listen}`, `--data_dir=${this.dataDir}`, ...flags],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => { this.stderr = (this.stderr + chunk).slice(-20_000); });
    child.stdout.setEncoding('utf8');
    return new Promise((resolve, reject) => {
      let stdout = '';
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`rollcalld did not start within ${STARTUP_TIMEOUT_MS} ms:\n${this.stderr}`));
      }, STARTUP_TIMEOUT_MS);
      child.stdout.on('data', (chunk) => {
        stdout += chunk;
        const match = LISTENING.exec(stdout);
        if (match && !this.address) {
          clearTimeout(timer);
          this.address = match[1];
          resolve();
        }
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        if (!this.address) reject(new Error(`rollcalld exited (${code ?? signal}) before listening:\n${this.stderr}`));
      });
    });
  }

  // Starts the server again on the same address, data directory and flags.
  async restart() {
    const listen = this.address;
    this.address = null;
    await this.#spawn(listen, this.flags);
  }

  // SIGTERM; resolves to {code, signal} once the process has exited.
  async stop() {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    return this.exited;
  }

  // Stops the server and removes the data directory it was given by start().
  async close() {
    await this.stop();
    if (this.ownsDataDir) fs.rmSync(this.dataDir, { recursive: true, force: true });
  }
}

// Runs a command to completion; resolves to {code, stdout, stderr}.
export function run(command, args, { env, timeoutMs = 20_000, input } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c) => { stdout += c; });
    child.stderr.setEncoding('utf8').on('data', (c) => { stderr += c; });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} ${args.join(' ')} timed out after ${timeoutMs} ms\n${stderr}`));
    }, timeoutMs);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(input ?? '');
  });
}

// Runs the rollcall CLI against a server.
export function runCli(address, args) {
  if (!fs.existsSync(ROLLCALL_CLI)) {
    throw new Error(`rollcall CLI not found at ${ROLLCALL_CLI}; build it or set ROLLCALL_CLI`);
  }
  return run(ROLLCALL_CLI, ['--server', address, ...args]);
}

// Resolves once predicate() is true; rejects after timeoutMs naming what.
export async function waitFor(predicate, what, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
