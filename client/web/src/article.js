// Fetches an article the reviewer gave by URL, for ExtractDrafts: its HTML
// (or plain text) and the URL it was read from. http(s) only, at most
// 2 MiB (what ExtractDrafts reads), within 15 s; failures are BadRequest
// naming document.url.

import { BadRequest } from './http_errors.js';

const MAX_BYTES = 2 * 1024 * 1024;
const TIMEOUT_MS = 15_000;

export async function fetchArticle(url) {
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    throw new BadRequest('document.url', `"${String(url).slice(0, 200)}" is not a URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new BadRequest('document.url', 'must be an http or https URL');
  }
  let response;
  try {
    response = await fetch(parsed, { redirect: 'follow', signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (error) {
    throw new BadRequest('document.url', `cannot be fetched: ${error.cause?.message ?? error.message}`);
  }
  if (!response.ok) throw new BadRequest('document.url', `answered HTTP ${response.status}`);
  const body = Buffer.from(await response.arrayBuffer());
  if (body.length > MAX_BYTES) throw new BadRequest('document.url', `is larger than ${MAX_BYTES} bytes`);
  const text = body.toString('utf8');
  const type = response.headers.get('content-type') ?? '';
  return type.includes('html') ? { html: text, url: parsed.href } : { text, url: parsed.href };
}
