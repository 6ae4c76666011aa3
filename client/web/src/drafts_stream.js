// One review page's view of an event's pending drafts: a Server-Sent
// Events stream fed by WatchDrafts.
//
//   snapshot  {drafts}   every pending draft; replaces what the page holds
//                        (sent again after each reconnection to rollcalld)
//   drafts    {drafts}   drafts that changed: new ones pending, and ones
//                        accepted or rejected (which leave the queue)
//   status    {state: 'reconnecting', message} while rollcalld is away
//   failure   {code, message} when the stream cannot go on (a refused
//             token); the stream then ends
//
// WatchDrafts is a view of state, so coming back needs no position: the
// bridge watches again and the new snapshot replaces the old.

import { Code, RollcallError } from '@rollcall/client';
import { EventStream } from './sse.js';

const RETRY_MS = [100, 250, 500, 750];
const FINAL = new Set([Code.UNAUTHENTICATED, Code.PERMISSION_DENIED, Code.INVALID_ARGUMENT, Code.NOT_FOUND]);

export async function watchDraftsToStream({ client, eventId, response, token, log = () => {} }) {
  const controller = new AbortController();
  response.once('close', () => controller.abort());
  // Fail before the stream opens for a refused token or an unknown event.
  await client.getEvent(eventId, { signal: controller.signal, token });
  const stream = new EventStream(response);
  const filter = `event = "events/${eventId}" AND state = PENDING`;
  log(`drafts stream opened: events/${eventId}`);
  try {
    for (let attempt = 0; !controller.signal.aborted; attempt++) {
      let held = [];
      try {
        for await (const message of client.watchDrafts({ filter, signal: controller.signal, token })) {
          attempt = 0;
          if (held !== null) {
            held.push(...message.drafts);
            if (message.caughtUp) {
              await stream.send('snapshot', { drafts: held });
              held = null;
            }
          } else {
            await stream.send('drafts', { drafts: message.drafts });
          }
        }
      } catch (error) {
        if (controller.signal.aborted) break;
        if (error instanceof RollcallError && FINAL.has(error.code)) {
          await stream.send('failure', { code: error.codeName, message: error.details });
          break;
        }
        const delayMs = RETRY_MS[Math.min(attempt, RETRY_MS.length - 1)];
        await stream.send('status', { state: 'reconnecting', message: error.details ?? error.message });
        await new Promise((resolve) => setTimeout(resolve, delayMs));
      }
    }
  } finally {
    controller.abort();
    stream.end();
    log(`drafts stream closed: events/${eventId}`);
  }
}
