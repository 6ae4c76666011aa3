// The Rollcall client: one gRPC channel to rollcalld for the statement,
// actor and event services. Every unary method returns a Promise that
// rejects with a RollcallError; List methods return a Pager; subscribe()
// returns a resumable Subscription.

import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import grpc from '@grpc/grpc-js';
import { loadSchema } from './proto.js';
import { fromWire, toFieldMask, toWire } from './convert.js';
import { CancelledError, Code, fromServiceError, fromStatus, isTransient } from './errors.js';
import { Pager } from './pager.js';
import { Subscription } from './subscription.js';

const STATEMENTS = 'rollcall.v1.StatementService';
const ACTORS = 'rollcall.v1.ActorService';
const EVENTS = 'rollcall.v1.EventService';
const DRAFTS = 'rollcall.v1.DraftService';

const DEFAULT_CHANNEL_OPTIONS = Object.freeze({
  // Reconnect within about a second of a server's return however long it
  // was down (grpc-js starts at 1 s and grows to 120 s): attempts from
  // 0.1 s apart growing to 0.75 s, each jittered by +-20%, so a server that
  // stays down sees one attempt per client every 0.75 s.
  'grpc.initial_reconnect_backoff_ms': 100,
  'grpc.max_reconnect_backoff_ms': 750,
});

// "ecowas" → "actors/ecowas"; a full name is kept.
function resourceName(collection, nameOrId) {
  if (typeof nameOrId !== 'string' || nameOrId === '') {
    throw new TypeError(`expected a ${collection} name or id, got ${JSON.stringify(nameOrId)}`);
  }
  return nameOrId.includes('/') ? nameOrId : `${collection}/${nameOrId}`;
}

function makeCredentials(tls) {
  if (!tls) return grpc.credentials.createInsecure();
  if (tls === true) return grpc.credentials.createSsl();
  return grpc.credentials.createSsl(tls.rootCerts ?? null, tls.privateKey ?? null, tls.certChain ?? null);
}

// The CreateStatementRequest of an item of addStatements or ingest: a
// Statement or {statement, requestId, allowDuplicate}; newRequestId() makes
// a missing id.
function createRequest(item, newRequestId = () => '') {
  if (item === null || typeof item !== 'object') {
    throw new TypeError(`expected a statement or {statement, requestId, allowDuplicate}, got ${item}`);
  }
  return 'statement' in item
    ? {
      statement: item.statement,
      requestId: item.requestId ?? newRequestId(),
      allowDuplicate: checkAllowDuplicate(item.allowDuplicate),
    }
    : { statement: item, requestId: newRequestId(), allowDuplicate: false };
}

function checkAllowDuplicate(allowDuplicate = false) {
  if (typeof allowDuplicate !== 'boolean') {
    throw new TypeError(`allowDuplicate must be a boolean, got ${allowDuplicate}`);
  }
  return allowDuplicate;
}

// Writes the items of an IngestStatements call, waiting for 'drain' when
// write() reports a full buffer, and ends the write side when the input
// ends or fails, or once stopped is aborted. Resolves to the input's error
// (reading or converting an item), or null; never rejects.
async function writeRequests(call, items, toRequest, stopped) {
  try {
    for await (const item of items) {
      if (stopped.aborted) return null;
      if (!call.write(toRequest(item))) await once(call, 'drain', { signal: stopped });
    }
    return null;
  } catch (error) {
    return stopped.aborted ? null : error;
  } finally {
    call.end();
  }
}

export class Client {
  #grpc;
  #schema;
  #token;
  #timeoutMs;
  #retries;
  #methods = new Map();
  #subscriptions = new Set();
  #closed = false;

  // target: "host:port". Options: token (sent as "authorization: Bearer
  // <token>"), tls (undefined: plaintext; true: TLS with the system roots;
  // {rootCerts, privateKey, certChain}: Buffers), timeoutMs (deadline of each
  // unary call, default 10000), retries (extra attempts of idempotent calls
  // on UNAVAILABLE, default 2), protoDir, channelOptions (grpc-js).
  constructor(target, options = {}) {
    this.#schema = loadSchema(options.protoDir);
    this.#token = options.token;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#retries = options.retries ?? 2;
    this.#grpc = new grpc.Client(target, makeCredentials(options.tls),
      { ...DEFAULT_CHANNEL_OPTIONS, ...options.channelOptions });
  }

  // Ends every subscription and closes the channel. Unary calls already
  // running complete; later calls throw.
  close() {
    this.#closed = true;
    for (const subscription of this.#subscriptions) subscription.cancel();
    this.#grpc.close();
  }

  // ---- Statements -------------------------------------------------------

  // Records a statement and resolves to it as stored (with its name, etag,
  // revision 1 and sequence). A request id (generated if not given) makes
  // the automatic retry on UNAVAILABLE safe: the server records it once.
  // A near-duplicate of an active statement (same actor and event, issued
  // within 24 h, near-identical quote) rejects with AlreadyExistsError whose
  // resourceName is the existing statement; allowDuplicate: true records it
  // anyway.
  addStatement(statement, { requestId = randomUUID(), allowDuplicate = false, ...options } = {}) {
    return this.#unary(STATEMENTS, 'CreateStatement',
      { statement, requestId, allowDuplicate: checkAllowDuplicate(allowDuplicate) },
      { ...options, idempotent: true });
  }

  // Records up to 1000 statements atomically: all or none. Each item is a
  // Statement or {statement, requestId, allowDuplicate} (requestId generated
  // if omitted, for the retry). Resolves to the statements, in order; a
  // rejected item fails the whole batch with an error naming it
  // ("requests[3].statement.stance"; "requests[3].statement.quote: ..." and
  // AlreadyExistsError for a near-duplicate of a stored or earlier item).
  async addStatements(items, options = {}) {
    const requests = items.map((item) => createRequest(item, randomUUID));
    const response = await this.#unary(STATEMENTS, 'BatchCreateStatements', { requests },
      { ...options, idempotent: true });
    return response.statements;
  }

  // Records a stream of statements (IngestStatements). items: an iterable
  // or async iterable of Statement or {statement, requestId, allowDuplicate},
  // read as the call can take them (write() and 'drain'). Yields one
  // {index, statement} or {index, error} per item, in order; a rejected item
  // (e.g. a near-duplicate: AlreadyExistsError) does not end the stream. No requestId is generated: give each item one derived from its
  // source, so that sending it again returns the statement already recorded.
  // The input failing (or an item that cannot be converted) ends the write
  // side; the results of the items before it are yielded, then its error is
  // thrown. Options: signal (abort cancels the call: CancelledError),
  // timeoutMs (deadline of the whole stream; default none).
  async* ingest(items, { signal, timeoutMs } = {}) {
    this.#checkOpen();
    const method = this.#method(STATEMENTS, 'IngestStatements');
    const deadline = timeoutMs === undefined ? Infinity : Date.now() + timeoutMs;
    const call = this.#grpc.makeBidiStreamRequest(method.path, method.serialize, method.deserialize,
      this.#metadata(), { deadline });
    call.on('error', () => {}); // Errors are read through the iterator below.
    const cancel = () => call.cancel();
    if (signal?.aborted) cancel();
    else signal?.addEventListener('abort', cancel, { once: true });
    const stopWriting = new AbortController();
    const toRequest = (item) => toWire(this.#schema, method.requestType, { request: createRequest(item) });
    const writing = writeRequests(call, items, toRequest, stopWriting.signal);
    try {
      for await (const response of call) {
        const index = Number(response.index);
        yield response.error ? { index, error: fromStatus(response.error, this.#schema) }
          : { index, statement: response.statement };
      }
    } catch (error) {
      throw fromServiceError(error, this.#schema);
    } finally {
      signal?.removeEventListener('abort', cancel);
      stopWriting.abort();
      call.cancel();
    }
    const inputError = await writing;
    if (inputError) throw inputError;
  }

  getStatement(name, options) {
    return this.#unary(STATEMENTS, 'GetStatement', { name: resourceName('statements', name) },
      { ...options, idempotent: true });
  }

  // Statements matching a filter (syntax: StatementService in
  // statement_service.proto). Options: filter, pageSize, orderBy
  // ("issue_time" or "issue_time desc"), showRetracted, pageToken.
  listStatements({ filter = '', pageSize = 0, orderBy = '', showRetracted = false, pageToken = '', ...options } = {}) {
    return new Pager((token) => this.#unary(STATEMENTS, 'ListStatements',
      { filter, pageSize, orderBy, showRetracted, pageToken: token }, { ...options, idempotent: true }),
    'statements', pageToken);
  }

  // Corrects the fields named in updateMask (["quote", "stance"] or
  // "quote,stance"; camelCase or snake_case). With etag (given here or as
  // statement.etag) it applies only if the statement is still at that
  // revision, else rejects with AbortedError.
  updateStatement(statement, updateMask, { etag, ...options } = {}) {
    const name = resourceName('statements', statement.name);
    const body = { ...statement, name, ...(etag !== undefined && { etag }) };
    return this.#unary(STATEMENTS, 'UpdateStatement',
      { statement: body, updateMask: toFieldMask(updateMask) }, options);
  }

  // Retracts a statement, keeping its record and history.
  retractStatement(name, reason, { etag = '', ...options } = {}) {
    return this.#unary(STATEMENTS, 'RetractStatement',
      { name: resourceName('statements', name), reason, etag }, options);
  }

  // Every revision of a statement, oldest first (ListStatementRevisions).
  statementHistory(name, { pageSize = 0, pageToken = '', ...options } = {}) {
    const fullName = resourceName('statements', name);
    return new Pager((token) => this.#unary(STATEMENTS, 'ListStatementRevisions',
      { name: fullName, pageSize, pageToken: token }, { ...options, idempotent: true }),
    'statements', pageToken);
  }

  // Who stands where on an event. Options: filter, asOfTime,
  // timelineInterval ("3600s" or "86400s").
  summarizeReactions(event, { filter = '', asOfTime, timelineInterval, ...options } = {}) {
    return this.#unary(STATEMENTS, 'SummarizeReactions',
      { event: resourceName('events', event), filter, asOfTime, timelineInterval },
      { ...options, idempotent: true });
  }

  // Follows the changes to statements matching a filter; see Subscription.
  // Options: filter, after | fromStart | since, heartbeatIntervalMs, signal,
  // backoff {initialMs, maxMs, multiplier, jitter}, maxReconnects,
  // onCaughtUp, onHeartbeat, onReconnect.
  subscribe({ token, ...options } = {}) {
    this.#checkOpen();
    const method = this.#method(STATEMENTS, 'SubscribeStatements');
    // A resubscription waits for the channel to (re)connect (wait-for-ready).
    const open = (request, { waitForReady = false } = {}) => {
      const metadata = this.#metadata(token);
      metadata.setOptions({ waitForReady });
      return this.#grpc.makeServerStreamRequest(method.path, method.serialize,
        method.deserialize, toWire(this.#schema, method.requestType, request), metadata, {});
    };
    const subscription = new Subscription(open, this.#schema, options,
      () => this.#subscriptions.delete(subscription));
    this.#subscriptions.add(subscription);
    return subscription;
  }

  // ---- Actors -----------------------------------------------------------

  addActor(actorId, actor, options) {
    return this.#unary(ACTORS, 'CreateActor', { actorId, actor }, options);
  }

  getActor(name, options) {
    return this.#unary(ACTORS, 'GetActor', { name: resourceName('actors', name) },
      { ...options, idempotent: true });
  }

  listActors({ filter = '', pageSize = 0, pageToken = '', ...options } = {}) {
    return new Pager((token) => this.#unary(ACTORS, 'ListActors',
      { filter, pageSize, pageToken: token }, { ...options, idempotent: true }), 'actors', pageToken);
  }

  updateActor(actor, updateMask, { etag, ...options } = {}) {
    const body = { ...actor, name: resourceName('actors', actor.name), ...(etag !== undefined && { etag }) };
    return this.#unary(ACTORS, 'UpdateActor', { actor: body, updateMask: toFieldMask(updateMask) }, options);
  }

  // ---- Events -----------------------------------------------------------

  addEvent(eventId, event, options) {
    return this.#unary(EVENTS, 'CreateEvent', { eventId, event }, options);
  }

  getEvent(name, options) {
    return this.#unary(EVENTS, 'GetEvent', { name: resourceName('events', name) },
      { ...options, idempotent: true });
  }

  listEvents({ filter = '', pageSize = 0, pageToken = '', ...options } = {}) {
    return new Pager((token) => this.#unary(EVENTS, 'ListEvents',
      { filter, pageSize, pageToken: token }, { ...options, idempotent: true }), 'events', pageToken);
  }

  updateEvent(event, updateMask, { etag, ...options } = {}) {
    const body = { ...event, name: resourceName('events', event.name), ...(etag !== undefined && { etag }) };
    return this.#unary(EVENTS, 'UpdateEvent', { event: body, updateMask: toFieldMask(updateMask) }, options);
  }

  // ---- Drafts -----------------------------------------------------------

  // Reads a document ({text | html, url, title, publisher, medium,
  // publishTime, language}) for an event and resolves to {document,
  // drafts, alreadyExtracted}. Options: validateOnly (a preview).
  extractDrafts(event, document, { validateOnly = false, ...options } = {}) {
    return this.#unary(DRAFTS, 'ExtractDrafts',
      { event: resourceName('events', event), document, validateOnly }, options);
  }

  getDocument(name, options) {
    return this.#unary(DRAFTS, 'GetDocument', { name: resourceName('documents', name) },
      { ...options, idempotent: true });
  }

  getDraft(name, options) {
    return this.#unary(DRAFTS, 'GetDraft', { name: resourceName('drafts', name) },
      { ...options, idempotent: true });
  }

  // Drafts matching a filter (syntax: DraftService in draft_service.proto),
  // oldest first.
  listDrafts({ filter = '', pageSize = 0, pageToken = '', ...options } = {}) {
    return new Pager((token) => this.#unary(DRAFTS, 'ListDrafts',
      { filter, pageSize, pageToken: token }, { ...options, idempotent: true }), 'drafts', pageToken);
  }

  // Accepts a draft, with corrections: the fields of `statement` named in
  // updateMask. Resolves to {draft, statement}. Options: etag,
  // allowDuplicate.
  acceptDraft(name, { statement, updateMask, etag = '', allowDuplicate = false, ...options } = {}) {
    return this.#unary(DRAFTS, 'AcceptDraft', {
      name: resourceName('drafts', name),
      statement: statement ?? null,
      updateMask: updateMask === undefined ? null : toFieldMask(updateMask),
      etag,
      allowDuplicate: checkAllowDuplicate(allowDuplicate),
    }, options);
  }

  rejectDraft(name, reason, { etag = '', ...options } = {}) {
    return this.#unary(DRAFTS, 'RejectDraft', { name: resourceName('drafts', name), reason, etag }, options);
  }

  // Follows the drafts matching a filter (WatchDrafts): yields {drafts,
  // caughtUp} messages, first every matching draft, then each change.
  // The stream is a view of state: to come back after an error, watch
  // again and let the drafts before caughtUp replace what you held.
  // Options: filter, signal (abort ends it: CancelledError), token.
  async* watchDrafts({ filter = '', signal, token } = {}) {
    this.#checkOpen();
    const method = this.#method(DRAFTS, 'WatchDrafts');
    const call = this.#grpc.makeServerStreamRequest(method.path, method.serialize,
      method.deserialize, toWire(this.#schema, method.requestType, { filter }), this.#metadata(token), {});
    const cancel = () => call.cancel();
    if (signal?.aborted) cancel();
    else signal?.addEventListener('abort', cancel, { once: true });
    try {
      for await (const response of call) yield response;
    } catch (error) {
      throw fromServiceError(error, this.#schema);
    } finally {
      signal?.removeEventListener('abort', cancel);
      call.cancel();
    }
  }

  // ---- Calls ------------------------------------------------------------

  // The path, request type and (de)serializers of a method; responses are
  // converted to this package's shapes as they are decoded.
  #method(service, name) {
    const key = `${service}.${name}`;
    let method = this.#methods.get(key);
    if (!method) {
      const definition = this.#schema.service(service)[name];
      const requestType = this.#schema.resolve(service, definition.requestType.type.name);
      const responseType = this.#schema.resolve(service, definition.responseType.type.name);
      method = {
        path: definition.path,
        requestType,
        serialize: definition.requestSerialize,
        deserialize: (buffer) => fromWire(this.#schema, responseType, definition.responseDeserialize(buffer)),
      };
      this.#methods.set(key, method);
    }
    return method;
  }

  #checkOpen() {
    if (this.#closed) throw new Error('rollcall: the client is closed');
  }

  // `token` (a call's own) overrides the client's.
  #metadata(token = this.#token) {
    const metadata = new grpc.Metadata();
    if (token) metadata.set('authorization', `Bearer ${token}`);
    return metadata;
  }

  // Runs a unary call; an idempotent one is retried on a transient error.
  async #unary(service, name, request, { timeoutMs = this.#timeoutMs, signal, idempotent = false, token } = {}) {
    this.#checkOpen();
    const method = this.#method(service, name);
    const wire = toWire(this.#schema, method.requestType, request);
    const attempts = idempotent ? this.#retries + 1 : 1;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#callOnce(method, wire, timeoutMs, signal, token);
      } catch (error) {
        if (attempt >= attempts || !isTransient(error.code) || signal?.aborted) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** (attempt - 1)));
      }
    }
  }

  #callOnce(method, wire, timeoutMs, signal, token) {
    if (signal?.aborted) {
      return Promise.reject(new CancelledError(Code.CANCELLED, 'the call was aborted before it started'));
    }
    return new Promise((resolve, reject) => {
      const call = this.#grpc.makeUnaryRequest(method.path, method.serialize, method.deserialize, wire,
        this.#metadata(token), { deadline: Date.now() + timeoutMs }, (error, response) => {
          signal?.removeEventListener('abort', cancel);
          if (error) reject(fromServiceError(error, this.#schema));
          else resolve(response);
        });
      const cancel = () => call.cancel();
      signal?.addEventListener('abort', cancel, { once: true });
    });
  }
}
