// The board's HTTP server: the page (public/), the list of events, and one
// Server-Sent Events stream per tab (bridge.js).
//
//   GET /                             the page
//   GET /api/events                   {events: [Event]}, most recent first
//   GET /api/events/{id}/stream       the event's stream (text/event-stream)

import http from 'node:http';
import { streamEvent, resumePoint } from './bridge.js';
import { BadRequest, parseEventId, sendError, sendJson } from './http_errors.js';
import { loadStaticFiles, sendStatic } from './static_files.js';

const STREAM_PATH = /^\/api\/events\/([^/]*)\/stream$/;

async function listEvents(client) {
  const events = [];
  for await (const event of client.listEvents({ pageSize: 1000 })) events.push(event);
  return { events };
}

// Returns an http.Server (not yet listening) serving the board for
// `client`'s rollcalld. `log(line)` hears about streams opening and ending.
export function createBoardServer({ client, publicDir, log }) {
  const files = loadStaticFiles(publicDir);
  const server = http.createServer(async (request, response) => {
    try {
      const url = new URL(request.url, 'http://board');
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        sendJson(response, 405, { error: { code: 'UNIMPLEMENTED', message: `method: ${request.method} is not supported` } });
        return;
      }
      const file = files.get(url.pathname);
      if (file) {
        sendStatic(response, file, request.method);
      } else if (url.pathname === '/api/events') {
        sendJson(response, 200, await listEvents(client));
      } else if (STREAM_PATH.test(url.pathname)) {
        const eventId = parseEventId(STREAM_PATH.exec(url.pathname)[1]);
        await streamEvent({ client, eventId, after: resumePoint(request, url), response, log });
      } else {
        throw new BadRequest('path', `no such page: ${url.pathname.slice(0, 80)}`);
      }
    } catch (error) {
      if (response.headersSent) {
        response.destroy();
      } else if (error instanceof BadRequest && error.field === 'path') {
        sendJson(response, 404, { error: { code: 'NOT_FOUND', message: error.message, field: 'path' } });
      } else {
        sendError(response, error);
      }
    }
  });
  // Streams stay open for as long as a tab does.
  server.requestTimeout = 0;
  return server;
}
