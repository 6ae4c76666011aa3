// Fetches an article the reviewer gave by URL, for ExtractDrafts: its HTML
// (or plain text), the URL it was read from and the page's title. http(s) only, at most
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
  if (!type.includes('html')) return { text, url: parsed.href };
  return { html: text, url: parsed.href, title: titleOf(text) };
}

const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

// The page's <title>, for the document's headline ('' if none).
function titleOf(html) {
  const match = /<title[^>]*>([^<]{1,500})<\/title>/i.exec(html);
  if (!match) return '';
  return match[1].replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (all, name) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : Number(name.slice(1));
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : all;
    }
    return ENTITIES[name.toLowerCase()] ?? all;
  }).replace(/\s+/g, ' ').trim();
}
