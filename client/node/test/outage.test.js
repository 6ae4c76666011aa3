// subscribe() after the server was down for a while: the first change
// written once it serves again arrives within about a second of its return,
// however long the outage, and nothing is missed or repeated; a graceful
// shutdown tells subscribers to reconnect now.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, Code } from '@rollcall/client';
import { waitFor } from '../testing/rollcalld.js';
import { EVENT, startSeededServer, stopSeededServer, statement } from '../testing/fixtures.js';

// A resubscription must be under way within this long of the server's
// return (the channel's reconnect backoff is capped at 750 ms, +-20%); the
// test allows as much again for a loaded machine.
const RESUME_BOUND_MS = 1000;
const SLACK_MS = 500;

const summary = (c) => `${c.sequence} ${c.kind} ${c.statement.name} r${c.statement.revision}`;

async function outage(seconds) {
  const { server, client } = await startSeededServer();
  try {
    const received = [];
    const arrivals = [];
    const sub = client.subscribe({ filter: `event = "${EVENT}"`, fromStart: true });
    const done = (async () => {
      for await (const change of sub) {
        received.push(change);
        arrivals.push(performance.now());
      }
    })();
    for (let i = 0; i < 3; i++) await client.addStatement(statement());
    await waitFor(() => received.length >= 3, 'the changes before the outage');

    assert.deepEqual(await server.stop(), { code: 0, signal: null });
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    await server.restart();
    const serving = performance.now();
    // A writer with a connection of its own, made once the server is back.
    const writer = new Client(server.address, { channelOptions: { 'grpc.use_local_subchannel_pool': 1 } });
    await writer.addStatement(statement({ quote: 'first after the outage' }));
    const written = performance.now() - serving;
    await waitFor(() => received.length >= 4, 'the first change after the outage', 15_000);
    const delay = arrivals[3] - serving;
    for (let i = 0; i < 2; i++) await writer.addStatement(statement());
    await waitFor(() => received.length >= 6, 'the later changes');

    const log = [];
    const reader = writer.subscribe({ fromStart: true, onCaughtUp: () => reader.cancel() });
    for await (const change of reader) log.push(change);
    await new Promise((resolve) => setTimeout(resolve, 200)); // Room for a duplicate to show up.
    sub.cancel();
    await done;
    writer.close();

    assert.ok(delay <= Math.max(RESUME_BOUND_MS, written) + SLACK_MS,
      `first change after the restart took ${delay.toFixed(0)} ms (its write ${written.toFixed(0)} ms)`);
    assert.equal(log.length, 6);
    assert.deepEqual(received.map(summary), log.map(summary), 'no gap, no duplicate');
  } finally {
    await stopSeededServer({ server, client });
  }
}

test('subscribe resumes within a second of the server after a 2 s outage', { timeout: 30_000 }, () => outage(2));

test('subscribe resumes within a second of the server after a 30 s outage', { timeout: 60_000 }, () => outage(30));

test('a graceful shutdown ends a subscription with "reconnect now"', { timeout: 20_000 }, async () => {
  const { server, client } = await startSeededServer();
  try {
    let reconnect = null;
    const sub = client.subscribe({ maxReconnects: 0 });
    const done = (async () => {
      for await (const change of sub) assert.fail(`unexpected change ${change.sequence}`);
    })().catch((error) => error);
    await waitFor(() => sub.lastSequence !== null, 'caught_up');
    await server.stop();
    reconnect = await done;
    assert.equal(reconnect?.code, Code.UNAVAILABLE, String(reconnect));
    assert.equal(reconnect.reconnectNow, true, 'the status carries a zero RetryInfo');
    assert.match(reconnect.details, /reconnect now/);
  } finally {
    await stopSeededServer({ server, client });
  }
});
