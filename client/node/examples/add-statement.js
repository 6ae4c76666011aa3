#!/usr/bin/env node
// Records one statement and prints it.
//
//   node examples/add-statement.js --server localhost:50051 \
//       --actor ecowas --stance condemns --quote "ECOWAS firmly condemns the coup" \
//       [--event niger-coup-2023] [--issue-time 2023-07-26] [--request-id ID]

import { parseArgs } from 'node:util';
import { Client, RollcallError } from '@rollcall/client';

const { values: args } = parseArgs({
  options: {
    server: { type: 'string', default: process.env.ROLLCALL_SERVER ?? 'localhost:50051' },
    event: { type: 'string', default: 'niger-coup-2023' },
    actor: { type: 'string' },
    stance: { type: 'string' },
    quote: { type: 'string' },
    summary: { type: 'string' },
    'issue-time': { type: 'string', default: new Date().toISOString().slice(0, 10) },
    'request-id': { type: 'string' },
  },
});

if (!args.actor || !args.stance || !(args.quote || args.summary)) {
  console.error('usage: add-statement.js --server HOST:PORT --actor ACTOR --stance STANCE (--quote TEXT | --summary TEXT)');
  process.exit(2);
}

const client = new Client(args.server);
try {
  const statement = await client.addStatement({
    event: `events/${args.event.replace(/^events\//, '')}`,
    actor: `actors/${args.actor.replace(/^actors\//, '')}`,
    stance: args.stance, // "condemns", "CONDEMNS" and "STANCE_CONDEMNS" all work
    quote: args.quote,
    summary: args.summary,
    issueTime: args['issue-time'], // a date or an RFC 3339 time
    issueTimePrecision: args['issue-time'].length === 10 ? 'day' : 'second',
  }, { requestId: args['request-id'] });
  console.log(`${statement.name}  revision ${statement.revision}  sequence ${statement.sequence}  etag ${statement.etag}`);
} catch (error) {
  if (!(error instanceof RollcallError)) throw error;
  // error.codeName is the gRPC code (NOT_FOUND, INVALID_ARGUMENT, ...);
  // fieldViolations name the offending fields when the server did.
  console.error(`add-statement: ${error.codeName}`);
  if (error.fieldViolations.length === 0) console.error(`  ${error.details}`);
  for (const { field, description } of error.fieldViolations) console.error(`  ${field}: ${description}`);
  process.exitCode = 1;
} finally {
  client.close();
}
