#!/usr/bin/env node
// Prints each new, corrected or retracted statement as it is committed, and
// keeps going across server restarts (resuming after the last change seen).
// Ctrl-C stops it.
//
//   node examples/watch.js --server localhost:50051 [--event niger-coup-2023]
//       [--from-start | --after SEQ] [--count N]

import { parseArgs } from 'node:util';
import { Client } from '@rollcall/client';

const { values: args } = parseArgs({
  options: {
    server: { type: 'string', default: process.env.ROLLCALL_SERVER ?? 'localhost:50051' },
    event: { type: 'string' },
    'from-start': { type: 'boolean', default: false },
    after: { type: 'string' },
    count: { type: 'string' },
  },
});

const client = new Client(args.server);
const stop = new AbortController();
process.once('SIGINT', () => stop.abort());

const subscription = client.subscribe({
  filter: args.event ? `event = "events/${args.event.replace(/^events\//, '')}"` : '',
  fromStart: args['from-start'],
  after: args.after,
  heartbeatIntervalMs: 5000,
  signal: stop.signal,
  onCaughtUp: (head) => console.error(`watch: caught up at sequence ${head}; waiting for changes`),
  onReconnect: ({ error, delayMs }) => console.error(`watch: ${error.message}; reconnecting in ${delayMs} ms`),
});

const limit = args.count === undefined ? Infinity : Number(args.count);
let printed = 0;
try {
  for await (const change of subscription) {
    const s = change.statement;
    const kind = change.kind.replace('CHANGE_KIND_', '').toLowerCase();
    const words = (s.quote || s.summary).replace(/\s+/g, ' ').slice(0, 60);
    console.log(`#${change.sequence}  ${kind.padEnd(9)}  ${s.name}  ${s.actor.replace('actors/', '')}  ` +
      `${s.stance.replace('STANCE_', '').toLowerCase()}  ${words}`);
    if (++printed >= limit) break; // ends the subscription and cancels the call
  }
} catch (error) {
  console.error(`watch: ${error.message}`);
  process.exitCode = 1;
} finally {
  console.error(`watch: stopped; resume with --after ${subscription.lastSequence ?? 0}`);
  client.close();
}
