// The review desk's calls, bridged to rollcalld with the caller's token
// (token.js). Bodies are JSON in protobuf's JSON mapping, as the Node
// client takes and returns them; errors are {error: {code, message, field}}
// (http_errors.js).
//
//   POST  /api/events/{id}/extract        {document: {text | html | url, ...}}
//                                         -> {document, drafts, alreadyExtracted}
//   GET   /api/events/{id}/drafts         pending drafts, oldest first
//   GET   /api/events/{id}/drafts/stream  SSE: snapshot {drafts}, drafts {drafts}
//                                         (changes), status, failure
//   GET   /api/drafts/{id}                a draft
//   POST  /api/drafts/{id}/accept         {statement, updateMask, etag, allowDuplicate}
//   POST  /api/drafts/{id}/reject         {reason, etag}
//   GET   /api/documents/{id}             a document with its text
//   GET   /api/actors?q=TEXT[&limit=N]    up to 20 (N, at most 1000) actors whose
//                                         name, id or alias contains TEXT
//   GET   /api/session                    {canWrite, reason}: what the token may do
//   POST  /api/statements                 {statement, requestId, allowDuplicate}
//   GET   /api/statements/{id}            a statement
//   PATCH /api/statements/{id}            {statement, updateMask, etag}
//   POST  /api/statements/{id}/retract    {reason, etag}

import { Code, RollcallError } from '@rollcall/client';
import { BadRequest, parseEventId, sendJson } from './http_errors.js';
import { fetchArticle } from './article.js';
import { watchDraftsToStream } from './drafts_stream.js';
import { callerToken } from './token.js';

const MAX_BODY_BYTES = 4 * 1024 * 1024;
const ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;
const ACTOR_MATCHES = 20;

async function readJson(request) {
  const chunks = [];
  let size = 0;
  for await (const chunk of request) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new BadRequest('body', `is larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  try {
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
    if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new Error('not an object');
    return body;
  } catch (error) {
    throw new BadRequest('body', `is not a JSON object (${error.message})`);
  }
}

function parseId(segment, field) {
  let id;
  try {
    id = decodeURIComponent(segment);
  } catch {
    throw new BadRequest(field, 'not a valid URL-encoded id');
  }
  if (!ID.test(id)) throw new BadRequest(field, `"${id.slice(0, 80)}" is not an id`);
  return id;
}

// What the token may do, found by asking: a validate-only extraction of an
// empty document needs the writer role and records nothing.
async function session(client, token) {
  const events = client.listEvents({ pageSize: 1, token });
  for await (const event of events) { void event; break; }
  try {
    await client.extractDrafts('events/session-check', { text: '' }, { validateOnly: true, token });
  } catch (error) {
    if (error instanceof RollcallError && error.code === Code.PERMISSION_DENIED) {
      return { canWrite: false, reason: 'Your token may read but not write: a reader cannot accept, reject or record statements.' };
    }
    if (!(error instanceof RollcallError) || error.code === Code.UNAUTHENTICATED
        || error.code === Code.UNAVAILABLE) throw error;
  }
  return { canWrite: true, reason: '' };
}

function actorMatches(actor, query) {
  const q = query.toLowerCase();
  return [actor.name, actor.displayName, ...actor.aliases].some((text) => text.toLowerCase().includes(q));
}

async function searchActors(client, query, limit, token) {
  const matches = [];
  if (query.trim() === '') return { actors: matches };
  for await (const actor of client.listActors({ pageSize: 1000, token })) {
    if (!actorMatches(actor, query.trim())) continue;
    matches.push({ name: actor.name, displayName: actor.displayName, kind: actor.kind, aliases: actor.aliases });
  }
  // Names that start with the query first, then alphabetical.
  const q = query.trim().toLowerCase();
  const starts = (a) => (a.displayName.toLowerCase().startsWith(q) || a.aliases.some((x) => x.toLowerCase().startsWith(q)) ? 0 : 1);
  matches.sort((a, b) => starts(a) - starts(b) || a.displayName.localeCompare(b.displayName));
  return { actors: matches.slice(0, limit) };
}

async function listPending(client, eventId, token) {
  const drafts = [];
  const filter = `event = "events/${eventId}" AND state = PENDING`;
  for await (const draft of client.listDrafts({ filter, pageSize: 1000, token })) drafts.push(draft);
  return { drafts };
}

// Throws unless `token` may extract for the event: rollcalld's own answer
// to a validate-only extraction of an empty document (INVALID_ARGUMENT for
// the empty text means the token and the event passed).
async function checkMayExtract(client, eventId, token) {
  try {
    await client.extractDrafts(`events/${eventId}`, { text: '' }, { validateOnly: true, token });
  } catch (error) {
    if (!(error instanceof RollcallError) || error.code !== Code.INVALID_ARGUMENT) throw error;
  }
}

async function extract(client, eventId, body, token) {
  const document = { ...(body.document ?? {}) };
  if (!document.text && !document.html) {
    if (!document.url) throw new BadRequest('document.text', 'paste the text of the article, or give its URL');
    // The board server fetches pages only for callers who may extract.
    await checkMayExtract(client, eventId, token);
    const article = await fetchArticle(document.url);
    Object.assign(document, article, { title: document.title || article.title || '' });
  }
  return client.extractDrafts(`events/${eventId}`, document, { token });
}

// The routes: [method, pattern, handler(match, context) -> body]; a handler
// may set context.status (200 by default).
const ROUTES = [
  ['GET', /^\/api\/session$/, (m, c) => session(c.client, c.token)],
  ['GET', /^\/api\/actors$/, (m, c) => searchActors(c.client, c.url.searchParams.get('q') ?? '',
    Math.min(Number(c.url.searchParams.get('limit')) || ACTOR_MATCHES, 1000), c.token)],
  ['POST', /^\/api\/events\/([^/]+)\/extract$/,
    async (m, c) => extract(c.client, parseEventId(m[1]), await readJson(c.request), c.token)],
  ['GET', /^\/api\/events\/([^/]+)\/drafts$/, (m, c) => listPending(c.client, parseEventId(m[1]), c.token)],
  ['GET', /^\/api\/drafts\/([^/]+)$/, (m, c) => c.client.getDraft(parseId(m[1], 'draft'), { token: c.token })],
  ['POST', /^\/api\/drafts\/([^/]+)\/accept$/, async (m, c) => {
    const body = await readJson(c.request);
    return c.client.acceptDraft(parseId(m[1], 'draft'), {
      statement: body.statement, updateMask: body.updateMask, etag: body.etag ?? '',
      allowDuplicate: body.allowDuplicate === true, token: c.token,
    });
  }],
  ['POST', /^\/api\/drafts\/([^/]+)\/reject$/, async (m, c) => {
    const body = await readJson(c.request);
    return c.client.rejectDraft(parseId(m[1], 'draft'), String(body.reason ?? ''), { etag: body.etag ?? '', token: c.token });
  }],
  ['GET', /^\/api\/documents\/([^/]+)$/, (m, c) => c.client.getDocument(parseId(m[1], 'document'), { token: c.token })],
  ['POST', /^\/api\/statements$/, async (m, c) => {
    c.status = 201;
    const body = await readJson(c.request);
    if (!body.statement || typeof body.statement !== 'object') throw new BadRequest('statement', 'is required');
    return c.client.addStatement(body.statement, {
      ...(body.requestId && { requestId: String(body.requestId) }),
      allowDuplicate: body.allowDuplicate === true, token: c.token,
    });
  }],
  ['GET', /^\/api\/statements\/([^/]+)$/, (m, c) => c.client.getStatement(parseId(m[1], 'statement'), { token: c.token })],
  ['PATCH', /^\/api\/statements\/([^/]+)$/, async (m, c) => {
    const body = await readJson(c.request);
    const name = `statements/${parseId(m[1], 'statement')}`;
    return c.client.updateStatement({ ...body.statement, name }, body.updateMask ?? [], { etag: body.etag ?? '', token: c.token });
  }],
  ['POST', /^\/api\/statements\/([^/]+)\/retract$/, async (m, c) => {
    const body = await readJson(c.request);
    return c.client.retractStatement(parseId(m[1], 'statement'), String(body.reason ?? ''),
      { etag: body.etag ?? '', token: c.token });
  }],
];

const DRAFTS_STREAM = /^\/api\/events\/([^/]+)\/drafts\/stream$/;

// Answers `request` if it is one of the review calls; false otherwise.
export async function routeReview({ client, request, response, url, log }) {
  if (request.method === 'GET' && DRAFTS_STREAM.test(url.pathname)) {
    const eventId = parseEventId(DRAFTS_STREAM.exec(url.pathname)[1]);
    await watchDraftsToStream({
      client, eventId, response, log, token: callerToken(request, { allowCookie: true }),
    });
    return true;
  }
  let pathKnown = false;
  for (const [method, pattern, handler] of ROUTES) {
    const match = pattern.exec(url.pathname);
    if (!match) continue;
    pathKnown = true;
    if (request.method !== method) continue;
    const context = { client, request, url, token: callerToken(request), status: 200 };
    const body = await handler(match, context);
    sendJson(response, context.status, body);
    return true;
  }
  if (!pathKnown) return false;
  sendJson(response, 405, { error: { code: 'UNIMPLEMENTED', message: `method: ${request.method} is not supported here` } });
  return true;
}
