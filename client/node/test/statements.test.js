// The unary API against a real rollcalld: create, read, page, correct,
// retract, history, and the typed errors.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AbortedError, AlreadyExistsError, CancelledError, Code, DeadlineExceededError, InvalidArgumentError,
  NotFoundError, RollcallError,
} from '@rollcall/client';
import { EVENT, startSeededServer, stopSeededServer, statement } from '../testing/fixtures.js';

const TIMEOUT = { timeout: 20_000 };

let server;
let client;

before(async () => {
  ({ server, client } = await startSeededServer({ token: 'test-token' }));
});
after(() => stopSeededServer({ server, client }));

describe('addStatement and getStatement', TIMEOUT, () => {
  test('addStatement stores the statement and returns it with its output fields', async () => {
    const created = await client.addStatement(statement({ speaker: { personName: 'Bola Tinubu', office: 'ECOWAS chair' } }));
    assert.match(created.name, /^statements\/[a-z0-9]+$/);
    assert.equal(created.stance, 'STANCE_CONDEMNS');
    assert.equal(created.issueTimePrecision, 'TIME_PRECISION_DAY');
    assert.equal(created.issueTime, '2023-07-26T00:00:00Z');
    assert.equal(created.state, 'STATEMENT_STATE_ACTIVE');
    assert.equal(created.revision, '1');
    assert.equal(typeof created.sequence, 'string');
    assert.ok(BigInt(created.sequence) > 0n);
    assert.ok(created.etag);
    assert.equal(created.speaker.personName, 'Bola Tinubu');
    assert.ok(!Number.isNaN(Date.parse(created.createTime)));

    assert.deepEqual(await client.getStatement(created.name), created);
    assert.deepEqual(await client.getStatement(created.name.split('/')[1]), created);
  });

  test('a retried addStatement with the same requestId returns the first statement', async () => {
    const first = await client.addStatement(statement({ quote: 'idempotent' }), { requestId: 'node-test-retry-1' });
    const again = await client.addStatement(statement({ quote: 'idempotent' }), { requestId: 'node-test-retry-1' });
    assert.equal(again.name, first.name);
  });

  test('addStatements records a batch in order', async () => {
    const created = await client.addStatements([
      statement({ quote: 'batch one' }),
      { statement: statement({ quote: 'batch two' }), requestId: 'node-test-batch-2' },
    ]);
    assert.deepEqual(created.map((s) => s.quote), ['batch one', 'batch two']);
  });

  test('Date and {seconds, nanos} are accepted for timestamps', async () => {
    const byDate = await client.addStatement(statement({ issueTime: new Date('2023-07-27T10:30:00.250Z') }));
    assert.equal(byDate.issueTime, '2023-07-27T10:30:00.250Z');
    const byObject = await client.addStatement(statement({ issueTime: { seconds: 1690416000, nanos: 0 } }));
    assert.equal(byObject.issueTime, '2023-07-27T00:00:00Z');
  });
});

describe('listStatements', TIMEOUT, () => {
  test('pages through 25 statements, 10 a page, each seen once in issue order', async () => {
    const names = [];
    for (let i = 0; i < 25; i++) {
      const day = String(1 + i).padStart(2, '0');
      const s = await client.addStatement(statement({
        quote: `paging ${i}`, issueTime: `2023-08-${day}T12:00:00Z`, labels: { batch: 'paging' },
      }));
      names.push(s.name);
    }
    const query = { filter: 'labels.batch = "paging"', pageSize: 10 };

    const pageSizes = [];
    for await (const page of client.listStatements(query).pages()) pageSizes.push(page.statements.length);
    assert.deepEqual(pageSizes, [10, 10, 5]);

    const listed = [];
    for await (const s of client.listStatements(query)) listed.push(s.name);
    assert.deepEqual(listed, names);

    const newestFirst = await client.listStatements({ ...query, orderBy: 'issue_time desc' }).toArray();
    assert.deepEqual(newestFirst.map((s) => s.name), [...names].reverse());
  });

  test('a malformed filter is InvalidArgumentError naming the filter field', async () => {
    await assert.rejects(client.listStatements({ filter: 'stance =' }).toArray(), (error) => {
      assert.ok(error instanceof InvalidArgumentError);
      assert.equal(error.code, Code.INVALID_ARGUMENT);
      assert.equal(error.fieldViolations[0].field, 'filter');
      return true;
    });
  });
});

describe('updateStatement, retractStatement and statementHistory', TIMEOUT, () => {
  test('an update with the current etag applies; one with a stale etag is AbortedError', async () => {
    const created = await client.addStatement(statement({ quote: 'first words' }));
    const updated = await client.updateStatement(
      { name: created.name, quote: 'corrected words', stance: 'criticises' }, ['quote', 'stance'], { etag: created.etag });
    assert.equal(updated.revision, '2');
    assert.equal(updated.quote, 'corrected words');
    assert.equal(updated.stance, 'STANCE_CRITICISES');
    assert.notEqual(updated.etag, created.etag);

    await assert.rejects(
      client.updateStatement({ name: created.name, quote: 'lost update' }, 'quote', { etag: created.etag }),
      (error) => {
        assert.ok(error instanceof AbortedError);
        assert.ok(error instanceof RollcallError);
        assert.equal(error.code, 10);
        assert.equal(error.codeName, 'ABORTED');
        return true;
      });
    const current = await client.getStatement(created.name);
    assert.equal(current.quote, 'corrected words');
    assert.equal(current.revision, '2');
  });

  test('statementHistory lists every revision, oldest first', async () => {
    const created = await client.addStatement(statement({ quote: 'v1' }));
    const updated = await client.updateStatement({ ...created, quote: 'v2' }, ['quote']);
    const retracted = await client.retractStatement(created.name, 'duplicate', { etag: updated.etag });
    assert.equal(retracted.state, 'STATEMENT_STATE_RETRACTED');
    assert.equal(retracted.retraction.reason, 'duplicate');

    const history = await client.statementHistory(created.name, { pageSize: 2 }).toArray();
    assert.deepEqual(history.map((s) => s.revision), ['1', '2', '3']);
    assert.deepEqual(history.map((s) => s.quote), ['v1', 'v2', 'v2']);
    assert.deepEqual(history.map((s) => s.state),
      ['STATEMENT_STATE_ACTIVE', 'STATEMENT_STATE_ACTIVE', 'STATEMENT_STATE_RETRACTED']);
    const sequences = history.map((s) => BigInt(s.sequence));
    assert.ok(sequences[0] < sequences[1] && sequences[1] < sequences[2]);

    const listed = await client.listStatements({ filter: '"v2"' }).toArray();
    assert.ok(!listed.some((s) => s.name === created.name), 'a retracted statement is not listed by default');
  });
});

describe('typed errors', TIMEOUT, () => {
  test('a missing statement is NotFoundError', async () => {
    await assert.rejects(client.getStatement('statements/doesnotexist'), (error) => {
      assert.ok(error instanceof NotFoundError);
      assert.equal(error.code, Code.NOT_FOUND);
      assert.equal(error.codeName, 'NOT_FOUND');
      assert.match(error.details, /not found/);
      return true;
    });
  });

  test('a statement without a stance is InvalidArgumentError naming statement.stance', async () => {
    await assert.rejects(client.addStatement(statement({ stance: undefined })), (error) => {
      assert.ok(error instanceof InvalidArgumentError);
      assert.deepEqual(error.fieldViolations.map((v) => v.field), ['statement.stance']);
      assert.ok(error.fieldViolations[0].description);
      assert.match(error.message, /^INVALID_ARGUMENT: statement\.stance/);
      return true;
    });
  });

  test('an unknown enum value is rejected before sending, naming the field', async () => {
    await assert.rejects(client.addStatement(statement({ stance: 'furious' })), (error) => {
      assert.ok(error instanceof InvalidArgumentError);
      assert.equal(error.fieldViolations[0].field, 'statement.stance');
      assert.match(error.message, /condemns, criticises/);
      return true;
    });
  });

  test('an expired deadline is DeadlineExceededError and an aborted signal CancelledError', async () => {
    await assert.rejects(client.getStatement('abc', { timeoutMs: 0 }), DeadlineExceededError);
    await assert.rejects(client.getStatement('abc', { signal: AbortSignal.abort() }), CancelledError);
  });

  test('creating an actor twice is AlreadyExistsError', async () => {
    await assert.rejects(client.addActor('ecowas', { displayName: 'ECOWAS', kind: 'regional-bloc' }), AlreadyExistsError);
  });
});

describe('near-duplicate statements', TIMEOUT, () => {
  // The same words, with other capitals and punctuation (similarity 1), by
  // the same actor on the same event, 8 hours apart.
  const original = () => statement({ quote: "ECOWAS firmly condemns the attempted coup d'état in Niger",
    issueTime: '2023-07-30T10:00:00Z', labels: { batch: 'duplicates' } });
  const nearDuplicate = () => statement({ quote: "Ecowas firmly condemns the attempted coup d'etat in Niger!",
    issueTime: '2023-07-30T18:00:00Z', labels: { batch: 'duplicates' } });
  const listDuplicates = () => client.listStatements({ filter: 'labels.batch = "duplicates"' }).toArray();

  test('a near-duplicate is AlreadyExistsError whose resourceName is the existing statement', async () => {
    const existing = await client.addStatement(original());
    await assert.rejects(client.addStatement(nearDuplicate()), (error) => {
      assert.ok(error instanceof AlreadyExistsError);
      assert.equal(error.code, Code.ALREADY_EXISTS);
      assert.equal(error.resourceName, existing.name);
      assert.equal(error.resourceInfo.resourceName, existing.name);
      assert.equal(error.resourceInfo.resourceType, 'type.googleapis.com/rollcall.v1.Statement');
      assert.match(error.details, /^statement\.quote: near-identical/);
      assert.ok(error.details.includes(existing.name));
      return true;
    });
    assert.deepEqual((await listDuplicates()).map((s) => s.name), [existing.name]);

    const duplicate = await client.addStatement(nearDuplicate(), { allowDuplicate: true });
    assert.notEqual(duplicate.name, existing.name);
    assert.deepEqual((await listDuplicates()).map((s) => s.name).sort(), [existing.name, duplicate.name].sort());
  });

  test('an error without a ResourceInfo detail has a null resourceName', async () => {
    await assert.rejects(client.getStatement('statements/doesnotexist'), (error) => {
      assert.equal(error.resourceInfo, null);
      assert.equal(error.resourceName, null);
      return true;
    });
  });
});

describe('actors and events', TIMEOUT, () => {
  test('actors and events can be read, listed and updated', async () => {
    const niger = await client.getActor('niger');
    assert.equal(niger.kind, 'ACTOR_KIND_STATE');
    assert.equal(niger.memberOf[0].startTime, '1975-05-28T00:00:00Z');
    const members = await client.listActors({ filter: 'member_of = "actors/ecowas"' }).toArray();
    assert.deepEqual(members.map((a) => a.name), ['actors/niger']);

    const renamed = await client.updateActor({ name: 'niger', aliases: ['République du Niger'] }, ['aliases'],
      { etag: niger.etag });
    assert.deepEqual(renamed.aliases, ['République du Niger']);
    await assert.rejects(client.updateActor({ name: 'niger', aliases: [] }, ['aliases'], { etag: niger.etag }),
      AbortedError);

    const event = await client.getEvent(EVENT);
    assert.equal(event.startTime, '2023-07-26T00:00:00Z');
    const events = await client.listEvents().toArray();
    assert.deepEqual(events.map((e) => e.name), [EVENT]);
  });
});

describe('summarizeReactions', TIMEOUT, () => {
  test('gives each reacting actor, the record as of a time, and a timeline', async () => {
    const created = await client.addActor('summary-state', { displayName: 'Summary State', kind: 'state' });
    const first = await client.addStatement(statement({ actor: created.name, stance: 'concerned' }));
    // A Date has milliseconds, a commit time microseconds: step past the
    // commit's millisecond so that "as of" includes it.
    await new Promise((resolve) => setTimeout(resolve, 5));
    const beforeCorrection = new Date();
    await new Promise((resolve) => setTimeout(resolve, 5));
    await client.updateStatement({ name: first.name, stance: 'condemns', etag: first.etag }, ['stance']);

    const now = await client.summarizeReactions(EVENT, { timelineInterval: '86400s' });
    const mine = now.reactions.find((r) => r.actor === created.name);
    assert.equal(mine.latestStance, 'STANCE_CONDEMNS');
    assert.deepEqual(mine.stanceHistory, ['STANCE_CONDEMNS']);
    assert.ok(now.timeline.length > 1);
    const then = await client.summarizeReactions(EVENT, { asOfTime: beforeCorrection });
    assert.equal(then.reactions.find((r) => r.actor === created.name).latestStance, 'STANCE_CONCERNED');
    await assert.rejects(client.summarizeReactions('no-such-event'), NotFoundError);
  });
});
