// The caller's token, forwarded to rollcalld with each call and never kept
// or logged by the board server.
//
// The page holds the token in sessionStorage and sends it with every fetch
// as the X-Rollcall-Token header. EventSource cannot send headers, so for
// its streams (GET .../stream) the page also keeps it in a session cookie
// (SameSite=Strict, path /api/): the cookie is read only for those GETs,
// which change nothing, so a request forged by another site can never write
// with it.

export const TOKEN_HEADER = 'x-rollcall-token';
const TOKEN_COOKIE = 'rollcall_token';
const TOKEN_SHAPE = /^[\x21-\x7e]{1,512}$/;

function fromCookie(request) {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === TOKEN_COOKIE) return decodeURIComponent(value.join('='));
  }
  return undefined;
}

// The token of `request`, or undefined (rollcalld without --tokens_file
// needs none). `allowCookie` for read-only streams.
export function callerToken(request, { allowCookie = false } = {}) {
  const token = request.headers[TOKEN_HEADER] ?? (allowCookie ? fromCookie(request) : undefined);
  return token && TOKEN_SHAPE.test(token) ? token : undefined;
}
