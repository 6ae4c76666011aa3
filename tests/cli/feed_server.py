#!/usr/bin/env python3
"""A small HTTP server for the CLI's feed tests.

Usage: feed_server.py ROOT LOG

Serves the files under ROOT, read afresh on every request (so a test can
grow a feed between polls), with a strong ETag and Last-Modified, and
answers 304 to a matching If-None-Match. A missing file is 404. Listens on
127.0.0.1 on a port of the system's choosing and prints the port on stdout.
A request for NAME when NAME.redirect exists is answered 302 with the
file's contents as Location.
Each request is appended to LOG as "PATH STATUS".
"""
import email.utils
import hashlib
import http.server
import os
import sys

ROOT, LOG = sys.argv[1], sys.argv[2]
TYPES = {
    ".rss": "application/rss+xml; charset=utf-8",
    ".atom": "application/atom+xml; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
}


def record(path, status):
    with open(LOG, "a", encoding="utf-8") as log:
        log.write(f"{path} {status}\n")


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        name = self.path.split("?", 1)[0].lstrip("/")
        path = os.path.join(ROOT, name)
        if name and os.path.isfile(path + ".redirect"):
            with open(path + ".redirect", encoding="utf-8") as f:
                location = f.read().strip()
            self.send_response(302)
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()
            record(self.path, 302)
            return
        if not name or not os.path.isfile(path):
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            record(self.path, 404)
            return
        with open(path, "rb") as f:
            body = f.read()
        etag = '"%s"' % hashlib.sha256(body).hexdigest()[:16]
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            record(self.path, 304)
            return
        self.send_response(200)
        self.send_header("Content-Type", TYPES.get(os.path.splitext(name)[1], "text/plain"))
        self.send_header("Content-Length", str(len(body)))
        self.send_header("ETag", etag)
        self.send_header("Last-Modified",
                         email.utils.formatdate(os.path.getmtime(path), usegmt=True))
        self.end_headers()
        self.wfile.write(body)
        record(self.path, 200)

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
