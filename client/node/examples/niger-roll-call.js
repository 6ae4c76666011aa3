#!/usr/bin/env node
// Prints the roll call of the Niger coup: who said what, in issue order,
// then how many actors took each stance. Load the data first:
//
//   rollcall import data/niger-coup-2023.jsonl
//   node examples/niger-roll-call.js --server localhost:50051 [--stance condemns]

import { parseArgs } from 'node:util';
import { Client } from '@rollcall/client';

const { values: args } = parseArgs({
  options: {
    server: { type: 'string', default: process.env.ROLLCALL_SERVER ?? 'localhost:50051' },
    stance: { type: 'string' },
  },
});

const short = (value) => value.replace(/^(STANCE|ACTION_KIND)_/, '').toLowerCase().replace(/_/g, '-');

const client = new Client(args.server);
try {
  let filter = 'event = "events/niger-coup-2023"';
  if (args.stance) filter += ` AND stance = ${args.stance.toUpperCase()}`;

  const latestStance = new Map(); // actor → stance of its latest statement
  let count = 0;
  for await (const s of client.listStatements({ filter, pageSize: 10 })) { // pages are fetched as needed
    const words = (s.quote || s.summary).replace(/\s+/g, ' ');
    const excerpt = words.length > 60 ? `${words.slice(0, 59)}…` : words;
    console.log([s.issueTime.slice(0, 10), s.actor.replace('actors/', '').padEnd(22), short(s.stance).padEnd(10),
      excerpt].join('  '));
    latestStance.set(s.actor, s.stance);
    count += 1;
  }

  const totals = new Map();
  for (const stance of latestStance.values()) totals.set(stance, (totals.get(stance) ?? 0) + 1);
  console.log(`\n${count} statements by ${latestStance.size} actors; latest stance per actor:`);
  for (const [stance, actors] of [...totals].sort((a, b) => b[1] - a[1])) {
    console.log(`  ${short(stance).padEnd(10)} ${actors}`);
  }
} finally {
  client.close();
}
