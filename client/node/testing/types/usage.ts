// Type-checked (never run) by test/types.test.js: uses the declared API the
// way the README does, and marks misuses the declarations must reject.

import {
  AbortedError, AlreadyExistsError, Client, Code, InvalidArgumentError, NotFoundError, RollcallError,
  type Statement, type StatementChange, type Subscription,
} from '@rollcall/client';

async function usage(): Promise<void> {
  const client = new Client('localhost:50051', { token: 't', timeoutMs: 5000 });
  const tlsClient = new Client('rollcall.example:443', { tls: { rootCerts: Buffer.from('') } });
  tlsClient.close();

  const created: Statement = await client.addStatement({
    event: 'events/niger-coup-2023',
    actor: 'actors/ecowas',
    stance: 'condemns',
    quote: 'ECOWAS condemns the coup',
    issueTime: new Date(),
    issueTimePrecision: 'TIME_PRECISION_DAY',
    actions: [{ kind: 'demand-release', targets: ['actors/niger-coup-leaders'], deadline: '2023-08-06' }],
    labels: { batch: 'manual' },
  }, { requestId: 'r-1' });
  const revision: bigint = BigInt(created.revision);
  const when: Date | null = created.issueTime === null ? null : new Date(created.issueTime);
  const stance: 'STANCE_CONDEMNS' | string = created.stance;

  const updated = await client.updateStatement({ name: created.name, quote: 'new' }, ['quote'], { etag: created.etag });
  await client.retractStatement(updated.name, 'duplicate', { etag: updated.etag });
  const history: Statement[] = await client.statementHistory(created.name).toArray();

  for await (const s of client.listStatements({ filter: 'stance = CONDEMNS', pageSize: 10 })) {
    const name: string = s.name;
  }
  for await (const page of client.listStatements().pages()) {
    const count: number = page.statements.length;
    const token: string = page.nextPageToken;
  }

  const controller = new AbortController();
  const sub: Subscription = client.subscribe({
    filter: '', after: 42n, heartbeatIntervalMs: 1000, signal: controller.signal,
    onReconnect: ({ attempt, delayMs, error }) => console.log(attempt, delayMs, error.codeName),
  });
  for await (const change of sub) {
    const c: StatementChange = change;
    const seq: string = c.sequence;
    if (c.kind === 'CHANGE_KIND_RETRACTED') break;
  }
  const resume: string | null = sub.lastSequence;

  try {
    await client.getStatement('abc');
  } catch (error) {
    if (error instanceof NotFoundError) console.log(error.code === Code.NOT_FOUND);
    if (error instanceof AbortedError || error instanceof InvalidArgumentError) {
      for (const { field, description } of error.fieldViolations) console.log(field, description);
    }
    if (error instanceof RollcallError) console.log(error.codeName, error.details);
  }

  try {
    await client.addStatement({ quote: 'ECOWAS condemns the coup!' }, { requestId: 'r-dup' });
  } catch (error) {
    if (error instanceof AlreadyExistsError) {
      const existing: string | null = error.resourceName;
      const type: string | undefined = error.resourceInfo?.resourceType;
      if (existing) await client.addStatement({ quote: 'ECOWAS condemns the coup!' }, { allowDuplicate: true });
      console.log(existing, type);
    }
  }

  const batch: Statement[] = await client.addStatements([{ stance: 'condemns' }, { statement: {}, requestId: 'r-2' },
    { statement: {}, allowDuplicate: true }]);
  async function* feed() { yield { statement: { quote: 'q' }, requestId: 'feed-1', allowDuplicate: false }; }
  for await (const result of client.ingest(feed(), { signal: controller.signal })) {
    const index: number = result.index;
    if (result.error) console.log(index, result.error.fieldViolations);
    else console.log(result.statement.name);
  }
  for await (const result of client.ingest([created])) console.log(result.statement?.etag);

  const summary = await client.summarizeReactions('niger-coup-2023', { timelineInterval: '86400s' });
  const first = summary.reactions[0]?.firstStatement?.excerpt;

  // @ts-expect-error: a stance is an enum name or number, not a boolean
  await client.addStatement({ stance: true });
  // @ts-expect-error: updateStatement needs the statement's name
  await client.updateStatement({ quote: 'x' }, ['quote']);
  // @ts-expect-error: sequences are strings, not numbers
  const wrong: number = created.sequence;
  // @ts-expect-error: ingest takes an iterable of statements, not one
  client.ingest({ quote: 'x' });
  // @ts-expect-error: allowDuplicate is a boolean
  await client.addStatement({ quote: 'x' }, { allowDuplicate: 'yes' });
  // @ts-expect-error: resourceName is read-only
  new AlreadyExistsError(Code.ALREADY_EXISTS, 'x').resourceName = 'statements/x';
  // @ts-expect-error: no such method
  client.deleteStatement('abc');
  console.log(revision, when, stance, history, resume, first, wrong, batch);
}

void usage;
