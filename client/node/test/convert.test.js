// The message conversions and proto loading, without a server.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  formatDuration, formatTimestamp, InvalidArgumentError, resolveProtoDir, toDuration, toTimestamp,
} from '@rollcall/client';
import { loadSchema } from '../src/proto.js';
import { fromWire, toWire } from '../src/convert.js';
import { makeTempDir, PACKAGE_DIR } from '../testing/rollcalld.js';

const schema = loadSchema();

test('RFC 3339 times, dates and Dates become Timestamps', () => {
  assert.deepEqual(toTimestamp('2023-07-26T14:30:00Z'), { seconds: '1690381800', nanos: 0 });
  assert.deepEqual(toTimestamp('2023-07-26T15:30:00+01:00'), { seconds: '1690381800', nanos: 0 });
  assert.deepEqual(toTimestamp('2023-07-26T14:30:00.5Z'), { seconds: '1690381800', nanos: 500_000_000 });
  assert.deepEqual(toTimestamp('2023-07-26'), { seconds: '1690329600', nanos: 0 });
  assert.deepEqual(toTimestamp(new Date(-1)), { seconds: '-1', nanos: 999_000_000 });
  assert.throws(() => toTimestamp('2023-02-30'), InvalidArgumentError);
  assert.throws(() => toTimestamp('26/07/2023'), InvalidArgumentError);
});

test('Timestamps are formatted as protobuf JSON does', () => {
  assert.equal(formatTimestamp({ seconds: '1690381800', nanos: 0 }), '2023-07-26T14:30:00Z');
  assert.equal(formatTimestamp({ seconds: '1690381800', nanos: 250_000_000 }), '2023-07-26T14:30:00.250Z');
  assert.equal(formatTimestamp({ seconds: '1690381800', nanos: 1 }), '2023-07-26T14:30:00.000000001Z');
});

test('Durations convert both ways', () => {
  assert.deepEqual(toDuration('1.5s'), { seconds: '1', nanos: 500_000_000 });
  assert.deepEqual(toDuration('-0.25s'), { seconds: '-0', nanos: -250_000_000 });
  assert.equal(formatDuration({ seconds: '10', nanos: 0 }), '10s');
  assert.equal(formatDuration({ seconds: '0', nanos: 250_000_000 }), '0.250s');
  assert.throws(() => toDuration(10), InvalidArgumentError);
});

test('toWire normalises enums, times, int64, snake_case keys and masks', () => {
  const wire = toWire(schema, 'rollcall.v1.UpdateStatementRequest', {
    statement: {
      stance: 'condemns',
      issue_time: '2023-07-26',
      actions: [{ kind: 'demand-release' }, { kind: 'ACTION_KIND_OTHER' }, { kind: 'ultimatum' }],
      sequence: 12345678901234567890n,
      labels: { a: 'b' },
    },
    updateMask: ['issueTime', 'speaker.personName'],
  });
  assert.deepEqual(wire, {
    statement: {
      stance: 'STANCE_CONDEMNS',
      issueTime: { seconds: '1690329600', nanos: 0 },
      actions: [{ kind: 'ACTION_KIND_DEMAND_RELEASE' }, { kind: 'ACTION_KIND_OTHER' }, { kind: 'ACTION_KIND_ULTIMATUM' }],
      sequence: '12345678901234567890',
      labels: { a: 'b' },
    },
    updateMask: { paths: ['issue_time', 'speaker.person_name'] },
  });
});

test('toWire names the field of a bad value or an unknown field', () => {
  assert.throws(() => toWire(schema, 'rollcall.v1.CreateStatementRequest', { statement: { actions: [{ kind: 'invade' }] } }),
    (error) => error instanceof InvalidArgumentError && error.fieldViolations[0].field === 'statement.actions[0].kind');
  assert.throws(() => toWire(schema, 'rollcall.v1.CreateStatementRequest', { statement: { stnace: 'condemns' } }),
    (error) => error.fieldViolations[0].field === 'statement.stnace');
});

test('fromWire converts nested Timestamps and keeps int64 strings', () => {
  const type = schema.messageType('rollcall.v1.StatementChange');
  const encoded = type.serialize({
    kind: 'CHANGE_KIND_CREATED', sequence: '9007199254740993',
    commitTime: { seconds: '1690381800', nanos: 0 },
    statement: { actions: [{ deadline: { seconds: '1691280000', nanos: 0 } }] },
  });
  const change = fromWire(schema, 'rollcall.v1.StatementChange', type.deserialize(encoded));
  assert.equal(change.sequence, '9007199254740993');
  assert.equal(change.commitTime, '2023-07-26T14:30:00Z');
  assert.equal(change.statement.actions[0].deadline, '2023-08-06T00:00:00Z');
  assert.equal(change.statement.speaker, null);
  assert.equal(change.statement.issueTime, null);
});

test('the proto directory comes from the option, else ROLLCALL_PROTO_DIR, else the repository', () => {
  const repoProtos = path.resolve(PACKAGE_DIR, '..', '..', 'proto');
  assert.equal(resolveProtoDir(), repoProtos);
  assert.equal(resolveProtoDir(repoProtos), repoProtos);
  const empty = makeTempDir();
  assert.throws(() => resolveProtoDir(empty), /ROLLCALL_PROTO_DIR/);
  process.env.ROLLCALL_PROTO_DIR = empty;
  try {
    assert.throws(() => resolveProtoDir(), /cannot find/);
  } finally {
    delete process.env.ROLLCALL_PROTO_DIR;
    fs.rmSync(empty, { recursive: true });
  }
});
