// The board's HTTP server: the page (public/), the list of events, and one
// Server-Sent Events stream per tab (bridge.js).
//
//   GET /                             the page
//   GET /review, /entry               the review desk, the entry form
//   GET /api/events                   {events: [Event]}, most recent first
//   GET /api/events/{id}/stream       the event's stream (text/event-stream)
//   ... and the review desk's calls (review_api.js)
//
// Every call to rollcalld carries the caller's token (token.js).

import http from 'node:http';
import { streamEvent, resumePoint } from './bridge.js';
import { BadRequest, parseEventId, sendError, sendJson } from './http_errors.js';
import { loadStaticFiles, sendStatic } from './static_files.js';
import { routeReview } from './review_api.js';
import { callerToken } from './token.js';

const STREAM_PATH = /^\/api\/events\/([^/]*)\/stream$/;

async function listEvents(client, token) {
  const events = [];
  for await (const event of client.listEvents({ pageSize: 1000, token })) events.push(event);
  return { events };
}

// Returns an http.Server (not yet listening) serving the board for
// `client`'s rollcalld. `log(line)` hears about streams opening and ending.
export function createBoardServer({ client, publicDir, log }) {
  const files = loadStaticFiles(publicDir);
  const server = http.createServer(async (request, response) => {
    try {
      const url = new URL(request.url, 'http://board');
      if (!['GET', 'HEAD', 'POST', 'PATCH'].includes(request.method)) {
        sendJson(response, 405, { error: { code: 'UNIMPLEMENTED', message: `method: ${request.method} is not supported` } });
        return;
      }
      const file = request.method === 'GET' || request.method === 'HEAD' ? files.get(url.pathname) : undefined;
      const token = callerToken(request, { allowCookie: request.method === 'GET' });
      if (file) {
        sendStatic(response, file, request.method);
      } else if (url.pathname === '/api/events' && request.method === 'GET') {
        sendJson(response, 200, await listEvents(client, token));
      } else if (STREAM_PATH.test(url.pathname) && request.method === 'GET') {
        const eventId = parseEventId(STREAM_PATH.exec(url.pathname)[1]);
        await streamEvent({ client, eventId, after: resumePoint(request, url), response, log, token });
      } else if ((url.pathname === '/api/events' || STREAM_PATH.test(url.pathname)) && request.method !== 'HEAD') {
        sendJson(response, 405, { error: { code: 'UNIMPLEMENTED', message: `method: ${request.method} is not supported here` } });
      } else if (await routeReview({ client, request, response, url, log })) {
        // answered
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
