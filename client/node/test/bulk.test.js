// Bulk writes against a real rollcalld: addStatements (BatchCreateStatements,
// all or none) and ingest (the IngestStatements stream, one result per item).

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AlreadyExistsError, CancelledError, Code, InvalidArgumentError, RollcallError } from '@rollcall/client';
import { startSeededServer, statement, stopSeededServer } from '../testing/fixtures.js';

const TIMEOUT = { timeout: 30_000 };
const INGESTED = 200;
const BAD_ITEMS = [57, 142]; // no stance

let server;
let client;

before(async () => {
  ({ server, client } = await startSeededServer());
});
after(() => stopSeededServer({ server, client }));

// The quotes of a batch are numbered from its own base, so that no two
// batches share one (the server refuses a near-identical quote by the same
// actor on the same event within 24 hours) while the same (batch, i) always
// gives the same quote (sending an item again with its request id).
const quoteBases = new Map();

function quote(batch, i) {
  if (!quoteBases.has(batch)) quoteBases.set(batch, quoteBases.size * 1_000_000);
  return `quote ${quoteBases.get(batch) + i}`;
}

// A statement labelled with its batch, so that a test can list its own.
function item(batch, i, overrides = {}) {
  const issueTime = new Date(Date.UTC(2023, 6, 26, 10) + i * 1000);
  return statement({ quote: quote(batch, i), issueTime, labels: { batch }, ...overrides });
}

// Two quotes with the same words (case and punctuation differ): similarity 1.
const NEAR_DUPLICATE = [
  "ECOWAS firmly condemns the attempted coup d'état in Niger",
  "Ecowas firmly condemns the attempted coup d'etat in Niger!",
];

// A near-duplicate test's own day, more than 24 hours from the others', so
// that its quotes are not near-duplicates of another test's.
function dayApart(n, i) {
  return new Date(Date.UTC(2023, 7, 1 + 3 * n, 10) + i * 1000);
}

function listBatch(batch) {
  return client.listStatements({ filter: `labels.batch = "${batch}"`, pageSize: 1000 }).toArray();
}

// INGESTED items with request ids; BAD_ITEMS lack a stance.
async function* feed(batch) {
  for (let i = 0; i < INGESTED; i++) {
    yield { statement: item(batch, i, BAD_ITEMS.includes(i) ? { stance: undefined } : {}), requestId: `${batch}-${i}` };
  }
}

async function collect(results) {
  const collected = [];
  for await (const result of results) collected.push(result);
  return collected;
}

describe('addStatements', TIMEOUT, () => {
  test('a batch of 5 records every item, in order', async () => {
    const items = [0, 1, 2, 3, 4].map((i) => item('batch-ok', i));
    items[1] = { statement: items[1], requestId: 'node-batch-ok-1' };
    const created = await client.addStatements(items);
    assert.deepEqual(created.map((s) => s.quote), [0, 1, 2, 3, 4].map((i) => quote('batch-ok', i)));
    const listed = await listBatch('batch-ok');
    assert.deepEqual(listed.map((s) => s.name).sort(), created.map((s) => s.name).sort());
  });

  test('a near-duplicate item fails the batch with AlreadyExistsError naming the existing statement', async () => {
    const [stored] = await client.addStatements(
      [item('batch-dup', 0, { quote: NEAR_DUPLICATE[0], issueTime: dayApart(0, 0) })]);
    await assert.rejects(client.addStatements([
      item('batch-dup', 1),
      item('batch-dup', 2, { quote: NEAR_DUPLICATE[1], issueTime: dayApart(0, 2) }),
    ]), (error) => {
      assert.ok(error instanceof AlreadyExistsError);
      assert.equal(error.code, Code.ALREADY_EXISTS);
      assert.equal(error.resourceName, stored.name);
      assert.match(error.details, /^requests\[1\]\.statement\.quote: near-identical/);
      return true;
    });
    assert.deepEqual((await listBatch('batch-dup')).map((s) => s.name), [stored.name]);
  });

  test('an item with allowDuplicate records the near-duplicate', async () => {
    const [stored] = await client.addStatements(
      [item('batch-allow', 0, { quote: NEAR_DUPLICATE[0], issueTime: dayApart(1, 0) })]);
    const created = await client.addStatements([
      {
        statement: item('batch-allow', 1, { quote: NEAR_DUPLICATE[1], issueTime: dayApart(1, 1) }),
        allowDuplicate: true,
      },
      {
        statement: item('batch-allow', 2, { quote: NEAR_DUPLICATE[0], issueTime: dayApart(1, 2) }),
        requestId: 'node-batch-allow-2',
        allowDuplicate: true,
      },
    ]);
    assert.deepEqual(created.map((s) => s.quote), [NEAR_DUPLICATE[1], NEAR_DUPLICATE[0]]);
    assert.equal(new Set([stored.name, ...created.map((s) => s.name)]).size, 3);
    assert.equal((await listBatch('batch-allow')).length, 3);
  });

  test('allowDuplicate must be a boolean', async () => {
    await assert.rejects(client.addStatements([{ statement: item('batch-type', 0), allowDuplicate: 'yes' }]),
      TypeError);
  });

  test('a batch with one bad item records none and the error names its index', async () => {
    const items = [0, 1, 2, 3, 4].map((i) => item('batch-bad', i, i === 3 ? { stance: undefined } : {}));
    await assert.rejects(client.addStatements(items), (error) => {
      assert.ok(error instanceof InvalidArgumentError);
      assert.deepEqual(error.fieldViolations.map((v) => v.field), ['requests[3].statement.stance']);
      return true;
    });
    assert.deepEqual(await listBatch('batch-bad'), []);
  });
});

describe('ingest', TIMEOUT, () => {
  test('answers each of 200 items in order; only the 2 bad ones fail, naming the field', async () => {
    const results = await collect(client.ingest(feed('ingest')));
    assert.deepEqual(results.map((r) => r.index), [...Array(INGESTED).keys()]);
    const failed = results.filter((r) => r.error);
    assert.deepEqual(failed.map((r) => r.index), BAD_ITEMS);
    for (const { error, statement: s } of failed) {
      assert.ok(error instanceof InvalidArgumentError);
      assert.ok(error instanceof RollcallError);
      assert.equal(error.code, Code.INVALID_ARGUMENT);
      assert.deepEqual(error.fieldViolations.map((v) => v.field), ['request.statement.stance']);
      assert.equal(s, undefined);
    }
    const recorded = results.filter((r) => r.statement).map((r) => r.statement);
    assert.equal(recorded.length, INGESTED - BAD_ITEMS.length);
    assert.deepEqual(recorded.map((s) => s.quote),
      [...Array(INGESTED).keys()].filter((i) => !BAD_ITEMS.includes(i)).map((i) => quote('ingest', i)));

    const listed = await listBatch('ingest');
    assert.deepEqual(listed.map((s) => s.name).sort(), recorded.map((s) => s.name).sort());
  });

  test('sending the same items again with the same request ids records nothing new', async () => {
    const first = await collect(client.ingest(feed('ingest-again')));
    const again = await collect(client.ingest(feed('ingest-again')));
    assert.deepEqual(again.map((r) => r.statement?.name ?? null), first.map((r) => r.statement?.name ?? null));
    assert.deepEqual(again.filter((r) => r.error).map((r) => r.index), BAD_ITEMS);
    assert.equal((await listBatch('ingest-again')).length, INGESTED - BAD_ITEMS.length);
  });

  test('takes a plain iterable, and reads a long input only as the call can take it', async () => {
    let pulled = 0;
    let inputClosed = false;
    function* longFeed() {
      try {
        for (let i = 0; i < 100_000; i++) {
          pulled += 1;
          yield item('ingest-long', i);
        }
      } finally {
        inputClosed = true;
      }
    }
    const results = [];
    for await (const result of client.ingest(longFeed())) {
      results.push(result);
      if (results.length === 3) break; // cancels the call
    }
    assert.deepEqual(results.map((r) => r.index), [0, 1, 2]);
    assert.ok(results.every((r) => r.statement));
    await waitUntil(() => inputClosed, 'the input to be closed');
    assert.ok(pulled < 100_000, `the input was read to its end before the results (${pulled})`);
  });

  test('a near-duplicate item fails alone with AlreadyExistsError naming the existing statement', async () => {
    const items = [
      item('ingest-dup', 0, { quote: NEAR_DUPLICATE[0], issueTime: dayApart(2, 0) }),
      item('ingest-dup', 1, { quote: NEAR_DUPLICATE[1], issueTime: dayApart(2, 1) }),
      { statement: item('ingest-dup', 2, { quote: NEAR_DUPLICATE[1], issueTime: dayApart(2, 2) }), allowDuplicate: true },
      item('ingest-dup', 3),
    ];
    const results = await collect(client.ingest(items));
    assert.deepEqual(results.map((r) => Boolean(r.statement)), [true, false, true, true]);
    const { error } = results[1];
    assert.ok(error instanceof AlreadyExistsError);
    assert.equal(error.resourceName, results[0].statement.name);
    assert.equal(error.resourceInfo.resourceType, 'type.googleapis.com/rollcall.v1.Statement');
    assert.match(error.details, /statement\.quote: near-identical/);
    assert.equal((await listBatch('ingest-dup')).length, 3);
  });

  test('an input failure is thrown after the results of the items before it', async () => {
    async function* failingFeed() {
      yield item('ingest-fail', 0);
      yield item('ingest-fail', 1);
      throw new Error('feed broke');
    }
    const results = [];
    await assert.rejects(async () => {
      for await (const result of client.ingest(failingFeed())) results.push(result);
    }, /feed broke/);
    assert.deepEqual(results.map((r) => r.index), [0, 1]);
    assert.equal((await listBatch('ingest-fail')).length, 2);

    const unknownField = [item('ingest-fail', 2), { ...item('ingest-fail', 3), mood: 'grim' }];
    await assert.rejects(collect(client.ingest(unknownField)), (error) => {
      assert.ok(error instanceof InvalidArgumentError);
      assert.equal(error.fieldViolations[0].field, 'request.statement.mood');
      return true;
    });
  });

  test('aborting the signal cancels the call: CancelledError', async () => {
    const controller = new AbortController();
    async function* slowFeed() {
      yield item('ingest-abort', 0);
      await new Promise(() => {}); // never yields again
    }
    const results = [];
    await assert.rejects(async () => {
      for await (const result of client.ingest(slowFeed(), { signal: controller.signal })) {
        results.push(result);
        controller.abort();
      }
    }, CancelledError);
    assert.deepEqual(results.map((r) => r.index), [0]);
  });
});

async function waitUntil(predicate, what, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
