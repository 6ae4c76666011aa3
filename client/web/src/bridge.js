// One browser tab's view of one event: a Server-Sent Events stream fed by
// one resumable gRPC subscription.
//
// The stream sends, in this order:
//   snapshot   {event, actors}         the event and the actor directory
//   change     StatementChange, id = its sequence, for every change to the
//              event's statements: first the stored ones, then live ones
//   caught-up  {headSequence}, id = headSequence, when the stored changes
//              have all been sent (again after each reconnect to rollcalld)
//   summary    the event's summary (see summary.js), after caught-up and
//              after live changes
//   actor      {name, displayName, kind, ...} before a change by an actor
//              the snapshot did not list
//   status     {state: 'reconnecting', attempt, delayMs, message} while
//              rollcalld is unreachable
//   failure    {code, message} when the subscription cannot go on; the
//              stream then ends
//
// The subscription is the Node client's, with its defaults: when rollcalld
// restarts it resubscribes within about a second of its return (at once,
// waiting for the connection, after a graceful shutdown) and resumes after
// the last change it delivered, so the tab gets every change once. The SSE id is the change's sequence, so when the
// browser itself reconnects (the board server restarted) it sends
// Last-Event-ID and the new stream resumes after it in the same way.

import { EventStream } from './sse.js';
import { BadRequest } from './http_errors.js';
import { SummaryRefresher, fetchSummary } from './summary.js';

const SEQUENCE = /^[0-9]{1,19}$/;
const HEARTBEAT_MS = 5000;

// The sequence to resume after: the Last-Event-ID header, or the `after`
// query parameter; null to start from the event's first change.
export function resumePoint(request, url) {
  const header = request.headers['last-event-id'];
  const [field, value] = header !== undefined
    ? ['Last-Event-ID', header] : ['after', url.searchParams.get('after')];
  if (value === null || value === '') return null;
  if (!SEQUENCE.test(value)) throw new BadRequest(field, `"${value.slice(0, 40)}" is not a change sequence`);
  return value;
}

// A short form for headings: the first all-capitals alias (ECOWAS, AU).
function shortName(actor) {
  return actor.aliases.find((alias) => /^[A-Z][A-Z0-9-]{1,9}$/.test(alias)) ?? '';
}

function actorView(actor) {
  return {
    name: actor.name,
    displayName: actor.displayName,
    shortName: shortName(actor),
    kind: actor.kind,
    countryCode: actor.countryCode,
  };
}

async function loadDirectory(client, signal, token) {
  const actors = {};
  for await (const actor of client.listActors({ pageSize: 1000, signal, token })) actors[actor.name] = actorView(actor);
  return actors;
}

// Streams event `eventId` to `response` until the browser goes away.
// Rejects (before anything is written) if the event cannot be read, so the
// caller can answer with an HTTP error. `log(line)` is told when the stream
// opens and ends.
// `token` is the caller's (token.js), sent with every call.
export async function streamEvent({ client, eventId, after, response, log = () => {}, token }) {
  // The response closes when the tab goes away (or the stream ends).
  const controller = new AbortController();
  response.once('close', () => controller.abort());
  const event = await client.getEvent(eventId, { signal: controller.signal, token });
  const actors = await loadDirectory(client, controller.signal, token);
  if (controller.signal.aborted) return;
  const stream = new EventStream(response);
  log(`stream opened: ${event.name}${after === null ? '' : ` after ${after}`}`);
  const summaries = new SummaryRefresher(
    () => fetchSummary(client, event.name, { token }),
    (summary) => stream.send('summary', summary));
  // Stored changes are summarised once, at caught-up; live ones as they come.
  let live = false;
  try {
    await stream.send('snapshot', { event, actors });
    const subscription = client.subscribe({
      filter: `event = "${event.name}"`,
      ...(after === null ? { fromStart: true } : { after }),
      heartbeatIntervalMs: HEARTBEAT_MS,
      signal: controller.signal,
      token,
      onCaughtUp: (headSequence) => {
        live = true;
        stream.send('caught-up', { headSequence }, headSequence);
        summaries.request();
      },
      onReconnect: ({ attempt, delayMs, error }) => {
        live = false;
        stream.send('status', { state: 'reconnecting', attempt, delayMs, message: error.details ?? error.message });
      },
    });
    for await (const change of subscription) {
      const actor = change.statement.actor;
      if (!actors[actor]) {
        actors[actor] = await client.getActor(actor, { token }).then(actorView, () => ({ name: actor }));
        await stream.send('actor', actors[actor]);
      }
      await stream.send('change', change, change.sequence);
      if (live) summaries.request();
    }
  } catch (error) {
    if (!controller.signal.aborted) {
      await stream.send('failure', { code: error.codeName ?? 'UNKNOWN', message: error.details ?? error.message });
    }
  } finally {
    summaries.close();
    controller.abort();
    stream.end();
    log(`stream closed: ${event.name}`);
  }
}
