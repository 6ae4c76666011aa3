// Test data: a small actor directory and event, and statements about it.

import { Client } from '@rollcall/client';
import { RollcalldProcess } from './rollcalld.js';

export const EVENT = 'events/niger-coup-2023';

// Creates the actors ecowas and niger (a member of ecowas) and the event.
export async function seedDirectory(client) {
  await client.addActor('ecowas', {
    displayName: 'Economic Community of West African States',
    kind: 'regional-bloc',
    aliases: ['ECOWAS', 'CEDEAO'],
  });
  await client.addActor('niger', {
    displayName: 'Niger',
    kind: 'ACTOR_KIND_STATE',
    countryCode: 'NER',
    memberOf: [{ organisation: 'actors/ecowas', startTime: '1975-05-28' }],
  });
  await client.addEvent('niger-coup-2023', {
    title: 'Military coup in Niger',
    startTime: '2023-07-26T00:00:00Z',
    countryCode: 'NER',
  });
}

let quotes = 0;

// A quote no other call returns: the server refuses a statement whose quote
// is near-identical to an active one by the same actor on the same event
// within 24 hours (unless allowDuplicate), so fixtures must not repeat one
// by accident.
export function uniqueQuote() {
  quotes += 1;
  return `fixture quote ${quotes}`;
}

// A valid statement by ECOWAS, with a unique quote, and fields overridden.
export function statement(overrides = {}) {
  return {
    event: EVENT,
    actor: 'actors/ecowas',
    stance: 'condemns',
    quote: uniqueQuote(),
    language: 'en',
    issueTime: '2023-07-26T00:00:00Z',
    issueTimePrecision: 'day',
    ...overrides,
  };
}

// Starts a rollcalld on a fresh data directory, seeded by seedDirectory, and
// a client to it.
export async function startSeededServer(clientOptions = {}) {
  const server = await RollcalldProcess.start();
  const client = new Client(server.address, clientOptions);
  await seedDirectory(client);
  return { server, client };
}

// Closes what startSeededServer opened.
export async function stopSeededServer({ server, client }) {
  client?.close();
  await server?.close();
}
