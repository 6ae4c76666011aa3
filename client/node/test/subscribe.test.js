// subscribe() against a real rollcalld: resuming across a server restart
// with every change delivered once, heartbeats moving the resume point,
// errors that must not be retried, and cancellation.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Client, InvalidArgumentError, OutOfRangeError, UnavailableError,
} from '@rollcall/client';
import { RollcalldProcess, waitFor } from '../testing/rollcalld.js';
import { EVENT, startSeededServer, stopSeededServer, statement } from '../testing/fixtures.js';

const FAST_BACKOFF = { initialMs: 50, maxMs: 500 };
const TIMEOUT = { timeout: 20_000 };

let server;
let client;

before(async () => {
  ({ server, client } = await startSeededServer());
});
after(() => stopSeededServer({ server, client }));

// Reads the whole log (every change up to the head) with a fresh
// subscription that ends at caught_up.
async function readLog(reader, filter = '') {
  const changes = [];
  const sub = reader.subscribe({ filter, fromStart: true, onCaughtUp: () => sub.cancel() });
  for await (const change of sub) changes.push(change);
  return changes;
}

// Starts consuming a subscription in the background; `received` fills up
// as changes arrive, `done` settles when the loop ends.
function consume(subscription) {
  const received = [];
  const done = (async () => {
    for await (const change of subscription) received.push(change);
  })();
  done.catch(() => {}); // Inspected by the tests that expect a failure.
  return { received, done };
}

const summary = (c) => `${c.sequence} ${c.kind} ${c.statement.name} r${c.statement.revision}`;

test('subscribe resumes across a server restart: every change once, in order, no gap', TIMEOUT, async () => {
  const writer = new Client(server.address);
  let caughtUp = 0;
  let reconnects = 0;
  const sub = client.subscribe({
    filter: `event = "${EVENT}"`,
    fromStart: true,
    heartbeatIntervalMs: 100,
    backoff: FAST_BACKOFF,
    onCaughtUp: () => { caughtUp += 1; },
    onReconnect: () => { reconnects += 1; },
  });
  const { received, done } = consume(sub);
  const base = (await readLog(writer)).length;

  // Live changes on the first connection: creates, an update, a retraction.
  const first = [];
  for (let i = 0; i < 4; i++) first.push(await writer.addStatement(statement({ quote: `before restart ${i}` })));
  await writer.updateStatement({ name: first[0].name, quote: 'corrected before restart' }, ['quote']);
  await writer.retractStatement(first[1].name, 'duplicate');
  await waitFor(() => received.length >= base + 6, 'the changes before the restart');

  const stopped = await server.stop();
  assert.deepEqual(stopped, { code: 0, signal: null }, 'rollcalld exits cleanly on SIGTERM');
  writer.close();
  await server.restart();

  // Written while the subscriber is (probably) still backing off: replayed.
  // The writer gets a connection of its own: grpc-js would otherwise share
  // the subscriber's, which may still be backing off after the restart, and
  // a write (not idempotent) fails at once instead of waiting for it.
  const writer2 = new Client(server.address, {
    channelOptions: { 'grpc.use_local_subchannel_pool': 1 },
  });
  const second = [];
  for (let i = 0; i < 3; i++) second.push(await writer2.addStatement(statement({ quote: `after restart ${i}` })));
  await waitFor(() => caughtUp >= 2, 'the subscriber to reconnect and catch up');
  // Written once it is live again.
  await writer2.updateStatement({ name: second[2].name, stance: 'concerned' }, ['stance']);
  await writer2.addStatement(statement({ quote: 'live after restart' }));

  const log = await readLog(writer2);
  await waitFor(() => received.length >= log.length, 'every change of the log');
  await new Promise((resolve) => setTimeout(resolve, 300)); // Room for a duplicate to show up.
  sub.cancel();
  await done;
  writer2.close();

  assert.ok(reconnects >= 1, 'the subscription reconnected');
  assert.equal(log.length, base + 6 + 5);
  assert.deepEqual(received.map(summary), log.map(summary));
  const sequences = received.map((c) => Number(c.sequence));
  assert.deepEqual(sequences, sequences.map((_, i) => sequences[0] + i), 'sequences are contiguous');
  assert.equal(sub.lastSequence, log.at(-1).sequence);
});

test('heartbeats move the resume point of a quiet filter to the head', TIMEOUT, async () => {
  let heartbeats = 0;
  const sub = client.subscribe({
    filter: 'actor = "actors/niger"', heartbeatIntervalMs: 100, onHeartbeat: () => { heartbeats += 1; },
  });
  const { received, done } = consume(sub);
  await waitFor(() => sub.lastSequence !== null, 'caught_up');
  const start = BigInt(sub.lastSequence);

  let last;
  for (let i = 0; i < 3; i++) last = await client.addStatement(statement({ quote: `ecowas only ${i}` }));
  assert.equal(BigInt(last.sequence), start + 3n);
  await waitFor(() => sub.lastSequence === last.sequence, 'a heartbeat carrying the new head');
  assert.ok(heartbeats > 0);
  assert.equal(received.length, 0, 'changes outside the filter are not delivered');

  const niger = await client.addStatement(statement({ actor: 'actors/niger', quote: 'Niger speaks' }));
  await waitFor(() => received.length === 1, 'the matching change');
  assert.equal(received[0].sequence, niger.sequence);
  assert.equal(received[0].kind, 'CHANGE_KIND_CREATED');
  sub.cancel();
  await done;
});

test('subscribe with after resumes after that sequence', TIMEOUT, async () => {
  const log = await readLog(client);
  const middle = log[Math.floor(log.length / 2)];
  const sub = client.subscribe({ after: middle.sequence, onCaughtUp: () => sub.cancel() });
  const changes = [];
  for await (const change of sub) changes.push(change);
  assert.deepEqual(changes.map(summary), log.filter((c) => BigInt(c.sequence) > BigInt(middle.sequence)).map(summary));
});

test('subscribe with since starts at a commit time', TIMEOUT, async () => {
  const log = await readLog(client);
  const fromPast = [];
  const past = client.subscribe({ since: '2000-01-01T00:00:00Z', onCaughtUp: () => past.cancel() });
  for await (const change of past) fromPast.push(change);
  assert.deepEqual(fromPast.map(summary), log.map(summary));

  const future = client.subscribe({ since: new Date(Date.now() + 3_600_000), onCaughtUp: () => future.cancel() });
  for await (const change of future) assert.fail(`unexpected change ${summary(change)}`);
  assert.equal(future.lastSequence, log.at(-1).sequence);
});

test('closing the client ends its subscriptions', TIMEOUT, async () => {
  const own = new Client(server.address);
  const sub = own.subscribe({});
  const { done } = consume(sub);
  await waitFor(() => sub.lastSequence !== null, 'caught_up');
  own.close();
  await done;
  assert.throws(() => own.subscribe({}), /closed/);
  await assert.rejects(own.getStatement('abc'), /closed/);
});

test('a malformed filter fails with InvalidArgumentError and is not retried', TIMEOUT, async () => {
  let reconnects = 0;
  const sub = client.subscribe({ filter: 'stance =', onReconnect: () => { reconnects += 1; } });
  await assert.rejects(sub.next(), (error) => {
    assert.ok(error instanceof InvalidArgumentError);
    assert.equal(error.fieldViolations[0]?.field, 'filter');
    return true;
  });
  assert.equal(reconnects, 0);
});

test('a resume point beyond the head fails with OutOfRangeError and is not retried', TIMEOUT, async () => {
  let reconnects = 0;
  const sub = client.subscribe({ after: 10n ** 12n, onReconnect: () => { reconnects += 1; } });
  await assert.rejects(sub.next(), OutOfRangeError);
  assert.equal(reconnects, 0);
});

test('an unreachable server is retried with backoff up to maxReconnects, then UnavailableError', TIMEOUT, async () => {
  const stopped = await RollcalldProcess.start();
  const address = stopped.address;
  await stopped.close();
  const unreachable = new Client(address);
  const delays = [];
  const sub = unreachable.subscribe({
    fromStart: true, backoff: { initialMs: 20, maxMs: 80, jitter: 0 }, maxReconnects: 3,
    onReconnect: ({ delayMs }) => delays.push(delayMs),
  });
  await assert.rejects(sub.next(), UnavailableError);
  assert.deepEqual(delays, [20, 40, 80]);
  unreachable.close();
});

test('aborting the signal ends a waiting iteration', TIMEOUT, async () => {
  const controller = new AbortController();
  const sub = client.subscribe({ signal: controller.signal });
  const { done } = consume(sub);
  setTimeout(() => controller.abort(), 100);
  await done; // Resolves: the loop ended without an error.
});

test('break out of for-await ends the subscription', TIMEOUT, async () => {
  const sub = client.subscribe({ fromStart: true });
  let seen = 0;
  for await (const change of sub) {
    assert.ok(change.statement.name);
    seen += 1;
    if (seen === 2) break;
  }
  assert.equal(seen, 2);
  assert.deepEqual(await sub.next(), { done: true, value: undefined });
});
