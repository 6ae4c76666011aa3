// A resumable SubscribeStatements stream, as an async iterator of
// StatementChange. When the stream breaks on a transient error (the server
// restarts, the network drops) it reconnects with backoff and resumes after
// the last sequence it yielded — or the last head_sequence the server
// vouched for in a caught_up or heartbeat — so each change is yielded once,
// in sequence order. Errors a retry cannot fix (INVALID_ARGUMENT,
// OUT_OF_RANGE, ...) are thrown from the iterator.

import { setTimeout as sleep } from 'node:timers/promises';
import { Code, UnavailableError, fromServiceError } from './errors.js';
import { durationFromMs } from './convert.js';

const DEFAULT_BACKOFF = Object.freeze({ initialMs: 250, maxMs: 8000, multiplier: 2, jitter: 0.2 });

// CANCELLED counts as transient here only because the iterator checks its
// own signal first: a cancellation it did not ask for came from the server
// or a proxy.
function isReconnectable(code) {
  return code === Code.UNAVAILABLE || code === Code.RESOURCE_EXHAUSTED || code === Code.CANCELLED;
}

export class Subscription {
  #open;
  #schema;
  #options;
  #backoff;
  #controller = new AbortController();
  #signal;
  #resumeAfter = null; // BigInt: every matching change up to it was yielded.
  #onEnd;
  #iterator;

  // open(request) starts a SubscribeStatements call and returns the grpc-js
  // stream of responses, already converted to this package's shapes.
  // onEnd is called once when the iteration ends, however it ends.
  constructor(open, schema, options = {}, onEnd = () => {}) {
    const starts = ['after', 'fromStart', 'since'].filter((k) => options[k] != null && options[k] !== false);
    if (starts.length > 1) {
      throw new TypeError(`subscribe: give at most one of after, fromStart, since (got ${starts.join(', ')})`);
    }
    this.#open = open;
    this.#schema = schema;
    this.#options = options;
    this.#backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
    // The caller's signal aborts the internal one (AbortSignal.any needs Node 20).
    const { signal } = options;
    const abort = () => this.#controller.abort();
    if (signal?.aborted) abort();
    signal?.addEventListener('abort', abort, { once: true });
    this.#signal = this.#controller.signal;
    if (options.after != null) this.#resumeAfter = BigInt(options.after);
    this.#onEnd = () => {
      signal?.removeEventListener('abort', abort);
      onEnd();
    };
    this.#iterator = this.#run();
  }

  // The resume point: the sequence after which a new subscription would
  // continue (a decimal string), or null before the server confirmed one.
  get lastSequence() {
    return this.#resumeAfter === null ? null : this.#resumeAfter.toString();
  }

  next() {
    return this.#iterator.next();
  }

  // Ends the subscription and cancels the call (a `break` out of for-await
  // calls this).
  return(value) {
    this.#controller.abort();
    return this.#iterator.return(value);
  }

  throw(error) {
    this.#controller.abort();
    return this.#iterator.throw(error);
  }

  // Ends the subscription from outside the loop; a pending next() resolves
  // with done.
  cancel() {
    this.#controller.abort();
  }

  [Symbol.asyncIterator]() {
    return this;
  }

  #request() {
    const { filter = '', fromStart, since, heartbeatIntervalMs } = this.#options;
    const request = { filter };
    if (this.#resumeAfter !== null) request.afterSequence = this.#resumeAfter.toString();
    else if (fromStart) request.fromBeginning = true;
    else if (since != null) request.startTime = since;
    if (heartbeatIntervalMs) request.heartbeatInterval = durationFromMs(heartbeatIntervalMs);
    return request;
  }

  #advance(headSequence) {
    const head = BigInt(headSequence);
    if (this.#resumeAfter === null || head > this.#resumeAfter) this.#resumeAfter = head;
  }

  async* #run() {
    try {
      yield* this.#follow();
    } finally {
      this.#onEnd();
    }
  }

  async* #follow() {
    const { onCaughtUp, onHeartbeat, onReconnect, maxReconnects = Infinity } = this.#options;
    const signal = this.#signal;
    let failures = 0;
    while (!signal.aborted) {
      const call = this.#open(this.#request());
      call.on('error', () => {}); // Errors are read through the iterator below.
      const cancel = () => call.cancel();
      signal.addEventListener('abort', cancel, { once: true });
      let failure = null;
      try {
        for await (const response of call) {
          failures = 0;
          for (const change of response.changes) {
            this.#resumeAfter = BigInt(change.sequence);
            yield change;
          }
          if (response.caughtUp) {
            this.#advance(response.caughtUp.headSequence);
            onCaughtUp?.(response.caughtUp.headSequence);
          }
          if (response.heartbeat) {
            this.#advance(response.heartbeat.headSequence);
            onHeartbeat?.(response.heartbeat.headSequence);
          }
        }
        failure = new UnavailableError(Code.UNAVAILABLE, 'the server ended the subscription stream');
      } catch (error) {
        failure = fromServiceError(error, this.#schema);
      } finally {
        signal.removeEventListener('abort', cancel);
        call.cancel();
      }
      if (signal.aborted) return;
      failures += 1;
      if (!isReconnectable(failure.code) || failures > maxReconnects) throw failure;
      const delayMs = this.#delay(failures);
      onReconnect?.({ attempt: failures, delayMs, error: failure });
      try {
        await sleep(delayMs, undefined, { signal });
      } catch {
        return; // Aborted while waiting.
      }
    }
  }

  #delay(attempt) {
    const { initialMs, maxMs, multiplier, jitter } = this.#backoff;
    const base = Math.min(maxMs, initialMs * multiplier ** (attempt - 1));
    return Math.round(base * (1 - jitter + 2 * jitter * Math.random()));
  }
}
