// The page's files: everything directly inside public/, read once at
// startup and served from memory. Only those paths are served, so no
// request can reach a file outside public/.

import fs from 'node:fs';
import path from 'node:path';

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

// Returns a Map from URL path ("/board.js"; "/" for index.html, "/review"
// for review.html) to
// {body, type}.
export function loadStaticFiles(publicDir) {
  const files = new Map();
  for (const entry of fs.readdirSync(publicDir, { withFileTypes: true })) {
    const type = CONTENT_TYPES[path.extname(entry.name)];
    if (!entry.isFile() || !type) continue;
    const file = { body: fs.readFileSync(path.join(publicDir, entry.name)), type };
    files.set(`/${entry.name}`, file);
    if (entry.name === 'index.html') files.set('/', file);
    else if (entry.name.endsWith('.html')) files.set(`/${entry.name.slice(0, -5)}`, file);
  }
  return files;
}

export function sendStatic(response, file, method) {
  response.writeHead(200, {
    'content-type': file.type,
    'content-length': file.body.length,
    'cache-control': 'no-cache',
    'x-content-type-options': 'nosniff',
    // Everything the page loads comes from this server; no inline script.
    'content-security-policy': "default-src 'self'; img-src 'self' data:; style-src 'self'; "
      + "script-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'",
  });
  response.end(method === 'HEAD' ? undefined : file.body);
}
