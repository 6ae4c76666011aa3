// A resumable SubscribeStatements stream, as an async iterator of
// StatementChange. When the stream breaks on a transient error (the server
// restarts, the network drops) it resubscribes and resumes after the last
// sequence it yielded — or the last head_sequence the server vouched for in
// a caught_up or heartbeat — so each change is yielded once, in sequence
// order. Errors a retry cannot fix (INVALID_ARGUMENT, OUT_OF_RANGE, ...) are
// thrown from the iterator.
//
// When to resubscribe: a stream that delivered something, or that the
// server ended with "reconnect now" (a zero google.rpc.RetryInfo, sent on
// graceful shutdown), is followed at once, after a random jitter below
// backoff.initialMs so that many subscribers do not arrive in the same
// millisecond. The new call is wait-for-ready: it waits for the channel to
// connect, and the channel's reconnect backoff (grpc.*_reconnect_backoff_ms,
// see client.js) paces the attempts while the server is down, so the stream
// resumes within about that cap of the server's return. Streams refused one
// after the other (the server answers, with an error) back off exponentially
// from backoff.initialMs to backoff.maxMs. With a finite maxReconnects the
// resubscription is not wait-for-ready (each failed attempt counts), and the
// backoff also paces attempts on an unreachable server.

import { setTimeout as sleep } from 'node:timers/promises';
import { Code, UnavailableError, fromServiceError } from './errors.js';
import { durationFromMs } from './convert.js';

const DEFAULT_BACKOFF = Object.freeze({ initialMs: 100, maxMs: 750, multiplier: 2, jitter: 0.2 });

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
    let failures = 0; // reconnections since the last response (maxReconnects)
    let refused = 0; // streams in a row that ended before a response
    let resubscribing = false;
    while (!signal.aborted) {
      // With a finite maxReconnects each failed attempt must count, so the
      // resubscription fails at once on an unreachable server instead.
      const call = this.#open(this.#request(),
        { waitForReady: resubscribing && maxReconnects === Infinity });
      resubscribing = true;
      let received = false;
      call.on('error', () => {}); // Errors are read through the iterator below.
      const cancel = () => call.cancel();
      signal.addEventListener('abort', cancel, { once: true });
      let failure = null;
      try {
        for await (const response of call) {
          failures = 0;
          received = true;
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
      refused = received ? 0 : refused + 1;
      const delayMs = this.#delay(refused, failure.reconnectNow === true);
      onReconnect?.({ attempt: failures, delayMs, error: failure });
      try {
        await sleep(delayMs, undefined, { signal });
      } catch {
        return; // Aborted while waiting.
      }
    }
  }

  // The pause before resubscribing (see the top of this file).
  #delay(refused, reconnectNow) {
    const { initialMs, maxMs, multiplier, jitter } = this.#backoff;
    if (refused === 0 || (refused === 1 && reconnectNow)) {
      return Math.floor(initialMs * Math.random());
    }
    const base = Math.min(maxMs, initialMs * multiplier ** (refused - 1));
    return Math.round(base * (1 - jitter + 2 * jitter * Math.random()));
  }
}
