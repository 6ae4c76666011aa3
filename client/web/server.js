#!/usr/bin/env node
// rollcall-board: serves the live reaction board for a rollcalld.
// Usage: node server.js [--rollcalld HOST:PORT] [--listen HOST:PORT]

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Client } from '@rollcall/client';
import { createBoardServer } from './src/board_server.js';

const USAGE = `usage: rollcall-board [--rollcalld HOST:PORT] [--listen HOST:PORT]
  --rollcalld  the rollcalld to show (default: $ROLLCALL_SERVER, else localhost:50051)
  --listen     where to serve the page (default: 127.0.0.1:8080; port 0 picks a free one)`;

function parseHostPort(value, flag) {
  const match = /^(.*):([0-9]{1,5})$/.exec(value);
  if (!match || Number(match[2]) > 65535) {
    throw new Error(`${flag}: "${value}" is not HOST:PORT`);
  }
  return { host: match[1].replace(/^\[(.*)\]$/, '$1') || '127.0.0.1', port: Number(match[2]) };
}

function parseFlags() {
  const { values } = parseArgs({
    options: {
      rollcalld: { type: 'string', default: process.env.ROLLCALL_SERVER || 'localhost:50051' },
      listen: { type: 'string', default: '127.0.0.1:8080' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  parseHostPort(values.rollcalld, '--rollcalld');
  return { rollcalld: values.rollcalld, listen: parseHostPort(values.listen, '--listen') };
}

let flags;
try {
  flags = parseFlags();
} catch (error) {
  console.error(`rollcall-board: ${error.message}\n${USAGE}`);
  process.exit(2);
}

const client = new Client(flags.rollcalld);
const publicDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'public');
const log = (line) => console.log(`${new Date().toISOString()} ${line}`);
const server = createBoardServer({ client, publicDir, log });
server.once('error', (error) => {
  console.error(`rollcall-board: --listen: ${error.message}`);
  process.exit(1);
});
server.listen(flags.listen.port, flags.listen.host, () => {
  const { address, port } = server.address();
  const host = address.includes(':') ? `[${address}]` : address;
  console.log(`rollcall-board listening on http://${host}:${port} (rollcalld ${flags.rollcalld})`);
});

function shutDown() {
  client.close();
  server.closeAllConnections();
  server.close(() => process.exit(0));
}
process.once('SIGINT', shutDown);
process.once('SIGTERM', shutDown);
