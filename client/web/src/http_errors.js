// HTTP answers for the board's JSON endpoints: a bad request names the
// field, and a failed rollcalld call keeps its gRPC code and message.

import { Code, RollcallError } from '@rollcall/client';

const HTTP_STATUS_BY_CODE = new Map([
  [Code.INVALID_ARGUMENT, 400],
  [Code.OUT_OF_RANGE, 400],
  [Code.FAILED_PRECONDITION, 400],
  [Code.NOT_FOUND, 404],
  [Code.ALREADY_EXISTS, 409],
  [Code.ABORTED, 409],
  [Code.PERMISSION_DENIED, 403],
  [Code.UNAUTHENTICATED, 401],
  [Code.RESOURCE_EXHAUSTED, 429],
  [Code.UNAVAILABLE, 503],
  [Code.DEADLINE_EXCEEDED, 504],
]);

// A request the board refuses before calling rollcalld.
export class BadRequest extends Error {
  constructor(field, problem) {
    super(`${field}: ${problem}`);
    this.field = field;
  }
}

const FIELD_PREFIX = /^([a-z_]+(?:\[[0-9]+\])?(?:\.[a-z_]+(?:\[[0-9]+\])?)*): /;

const EVENT_ID = /^[a-z][a-z0-9-]{0,62}$/;

// The event id of a URL path segment; throws BadRequest naming `event`.
export function parseEventId(segment) {
  let id;
  try {
    id = decodeURIComponent(segment ?? '');
  } catch {
    throw new BadRequest('event', 'not a valid URL-encoded id');
  }
  if (!EVENT_ID.test(id)) {
    throw new BadRequest('event',
      `"${id.slice(0, 80)}" is not an event id (1-63 lower-case letters, digits and hyphens, starting with a letter)`);
  }
  return id;
}

export function sendJson(response, status, body) {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

// Answers `error` as JSON {error: {code, message, field?}}.
export function sendError(response, error) {
  if (error instanceof BadRequest) {
    sendJson(response, 400, { error: { code: 'INVALID_ARGUMENT', message: error.message, field: error.field } });
  } else if (error instanceof RollcallError) {
    const status = HTTP_STATUS_BY_CODE.get(error.code) ?? 502;
    // The field: the server's BadRequest detail, else its message's
    // "field: problem" prefix.
    const field = error.fieldViolations[0]?.field ?? FIELD_PREFIX.exec(error.details ?? '')?.[1];
    const resource = error.resourceName;
    sendJson(response, status, {
      error: { code: error.codeName, message: error.details, ...(field && { field }), ...(resource && { resourceName: resource }) },
    });
  } else {
    sendJson(response, 500, { error: { code: 'INTERNAL', message: String(error?.message ?? error) } });
  }
}
