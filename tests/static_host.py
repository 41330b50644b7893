"""A static host for browser tests that behaves like the nginx set-up in
docs/deploy.md: the site under a base path (``/`` or ``/prevention/``), the
Content-Security-Policy header on every response, precompressed ``.br`` /
``.gz`` copies sent when the browser accepts them, and each language's 404
page. Listens on 127.0.0.1 only."""

from __future__ import annotations

import contextlib
import mimetypes
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from sitekit.build import load_settings
from sitekit.publish import header_policy

CONTENT_SECURITY_POLICY = header_policy(load_settings())

mimetypes.add_type("application/wasm", ".wasm")
mimetypes.add_type("text/javascript", ".js")


class StaticHost(BaseHTTPRequestHandler):
    root: Path
    base: str  # '/' or '/prevention/'
    csp: str
    served: list  # (path, content-encoding) of every response, for assertions

    def log_message(self, fmt, *args):
        pass

    def do_GET(self):
        path = unquote(urlsplit(self.path).path)
        if not path.startswith(self.base):
            return self._send(404, b"outside the site", "text/plain")
        rel = path[len(self.base) :]
        target = (self.root / rel).resolve()
        if self.root.resolve() not in (target, *target.parents):
            return self._send(404, b"outside the site", "text/plain")
        if target.is_dir():
            if not path.endswith("/"):
                self.send_response(301)
                self.send_header("Location", path + "/")
                self.end_headers()
                return
            target = target / "index.html"
        if not target.is_file():
            lang = rel.split("/", 1)[0]
            page = self.root / lang / "404.html"
            if not (lang and page.is_file()):
                page = self.root / "404.html"
            return self._send(404, page.read_bytes(), "text/html; charset=utf-8")
        ctype = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if ctype.startswith("text/") or ctype in ("application/javascript", "application/json"):
            ctype += "; charset=utf-8"
        accept = self.headers.get("Accept-Encoding", "")
        for encoding, suffix in (("br", ".br"), ("gzip", ".gz")):
            packed = target.with_name(target.name + suffix)
            if encoding in accept and packed.is_file():
                return self._send(200, packed.read_bytes(), ctype, encoding)
        return self._send(200, target.read_bytes(), ctype)

    def _send(self, code, body, ctype, encoding=None):
        self.served.append((self.path, encoding))
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Content-Security-Policy", self.csp)
        self.send_header("X-Content-Type-Options", "nosniff")
        if encoding:
            self.send_header("Content-Encoding", encoding)
            self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        self.wfile.write(body)


@contextlib.contextmanager
def host(root: Path, base: str = "/", port: int = 0, csp: str = CONTENT_SECURITY_POLICY):
    """Serve ``root`` at http://127.0.0.1:<port><base>; yields (url, served)."""
    served: list = []
    handler = type("Host", (StaticHost,), {"root": Path(root), "base": base, "csp": csp, "served": served})
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{base.rstrip('/')}", served
    finally:
        server.shutdown()
        server.server_close()
