// The board server's HTTP side without a browser: the event list, the
// stream's order and its resumption from Last-Event-ID, and the answers to
// bad requests (each names the field at fault).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { BoardProcess, cli, startSeededRollcalld } from '../testing/board.js';
import { waitFor } from '../../node/testing/rollcalld.js';

const TIMEOUT = { timeout: 30_000 };
let rollcalld;
let board;

before(async () => {
  rollcalld = await startSeededRollcalld();
  board = await BoardProcess.start(rollcalld.address);
});

after(async () => {
  await board?.close();
  await rollcalld?.close();
});

// Reads a stream's messages ({event, id, data}) until `until(message)`.
async function readStream(path, { headers = {}, until }) {
  const controller = new AbortController();
  const response = await fetch(`${board.url}${path}`, { headers, signal: controller.signal });
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type'), /^text\/event-stream/);
  const messages = [];
  let buffer = '';
  let done = false;
  const decoder = new TextDecoder();
  for await (const chunk of response.body) {
    buffer += decoder.decode(chunk, { stream: true });
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const message = {};
      for (const line of block.split('\n')) {
        const [, field, value] = /^([a-z]+): ?(.*)$/.exec(line) ?? [];
        if (field === 'event' || field === 'id') message[field] = value;
        if (field === 'data') message.data = JSON.parse(value);
      }
      if (!message.event || done) continue;
      messages.push(message);
      if (until(message)) done = true;
    }
    if (done) break;
  }
  controller.abort();
  if (done) return messages;
  throw new Error(`the stream ended before the expected message: ${JSON.stringify(messages.at(-1))}`);
}

const untilCaughtUp = (m) => m.event === 'caught-up';

async function getJson(path, headers = {}) {
  const response = await fetch(`${board.url}${path}`, { headers });
  return { status: response.status, body: await response.json() };
}

test('the event list names the Niger event', TIMEOUT, async () => {
  const { status, body } = await getJson('/api/events');
  assert.equal(status, 200);
  assert.ok(body.events.some((e) => e.name === 'events/niger-coup-2023' && e.title));
});

test('a stream sends the snapshot, every stored change in sequence order, then caught-up', TIMEOUT, async () => {
  const messages = await readStream('/api/events/niger-coup-2023/stream', { until: untilCaughtUp });
  assert.equal(messages[0].event, 'snapshot');
  assert.equal(messages[0].data.event.name, 'events/niger-coup-2023');
  assert.equal(messages[0].data.actors['actors/ecowas'].shortName, 'ECOWAS');
  const changes = messages.filter((m) => m.event === 'change');
  assert.ok(changes.length >= 21, 'every statement of the data set');
  for (const change of changes) {
    assert.equal(change.id, change.data.sequence, 'the SSE id is the sequence');
    assert.equal(change.data.statement.event, 'events/niger-coup-2023');
  }
  const sequences = changes.map((c) => BigInt(c.id));
  assert.deepEqual(sequences, [...sequences].sort((a, b) => (a < b ? -1 : 1)));
  assert.ok(BigInt(messages.at(-1).id) >= sequences.at(-1), 'caught-up carries the head as its id');
});

test('a stream resumes after Last-Event-ID: the later changes, none before', TIMEOUT, async () => {
  const all = (await readStream('/api/events/niger-coup-2023/stream', { until: untilCaughtUp }))
    .filter((m) => m.event === 'change').map((m) => m.id);
  const added = JSON.parse(await cli(rollcalld.address, ['statements', 'add', '--event', 'niger-coup-2023',
    '--actor', 'togo', '--stance', 'concerned', '--quote', 'Togo offers to mediate between Niamey and ECOWAS',
    '--issue-time', '2023-08-05', '--output', 'json']));
  const resumed = (await readStream('/api/events/niger-coup-2023/stream',
    { headers: { 'last-event-id': all[9] }, until: untilCaughtUp }))
    .filter((m) => m.event === 'change').map((m) => m.id);
  assert.deepEqual(resumed, [...all.slice(10), added.sequence]);
});

test('a summary follows caught-up', TIMEOUT, async () => {
  const messages = await readStream('/api/events/niger-coup-2023/stream', { until: (m) => m.event === 'summary' });
  const summary = messages.at(-1).data;
  assert.ok(summary.reactions.some((r) => r.actor === 'actors/ecowas' && r.latestStance === 'STANCE_CONDEMNS'));
  assert.ok(summary.timeline.length > 0);
  const counts = summary.timeline.map((p) => p.statementCount);
  assert.deepEqual(counts, [...new Set(counts)], 'only the days on which the count changed');
});

test('bad requests are refused with the field at fault', TIMEOUT, async () => {
  let answer = await getJson('/api/events/Not%20an%20id/stream');
  assert.equal(answer.status, 400);
  assert.equal(answer.body.error.field, 'event');
  assert.match(answer.body.error.message, /^event: /);

  answer = await getJson('/api/events/no-such-event/stream');
  assert.equal(answer.status, 404);
  assert.equal(answer.body.error.code, 'NOT_FOUND');

  answer = await getJson('/api/events/niger-coup-2023/stream', { 'last-event-id': '12abc' });
  assert.equal(answer.status, 400);
  assert.equal(answer.body.error.field, 'Last-Event-ID');

  answer = await getJson('/api/events/niger-coup-2023/stream?after=-1');
  assert.equal(answer.status, 400);
  assert.equal(answer.body.error.field, 'after');

  answer = await getJson('/%2e%2e/package.json');
  assert.equal(answer.status, 404, 'nothing outside public/ is served');
  assert.equal(answer.body.error.field, 'path');

  const post = await fetch(`${board.url}/api/events`, { method: 'POST' });
  assert.equal(post.status, 405);
});

test('the page and its scripts are served with a policy that allows no other origin', TIMEOUT, async () => {
  for (const path of ['/', '/board.js', '/board.css', '/grid.js']) {
    const response = await fetch(`${board.url}${path}`);
    assert.equal(response.status, 200, path);
    assert.match(response.headers.get('content-security-policy'), /default-src 'self'/);
  }
  const html = await (await fetch(`${board.url}/`)).text();
  assert.doesNotMatch(html, /https?:\/\//, 'the page loads nothing from elsewhere');
});

test('a board whose rollcalld cannot be reached answers 503 UNAVAILABLE', TIMEOUT, async () => {
  const stranded = await BoardProcess.start('127.0.0.1:1');
  try {
    for (const path of ['/api/events', '/api/events/niger-coup-2023/stream']) {
      const response = await fetch(`${stranded.url}${path}`);
      assert.equal(response.status, 503, path);
      assert.equal((await response.json()).error.code, 'UNAVAILABLE');
    }
  } finally {
    await stranded.close();
  }
});

test('the subscription ends when the tab goes away', TIMEOUT, async () => {
  const closed = () => board.stdout.split('\n').filter((l) => l.includes('stream closed')).length;
  const before = closed();
  await readStream('/api/events/niger-coup-2023/stream', { until: untilCaughtUp });
  await waitFor(() => closed() === before + 1, 'the board to close the stream');
});
