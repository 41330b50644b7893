"""Development server: serves output/ on localhost, rebuilds on change and
tells open pages to reload.

The reload signal is a Server-Sent Events stream at /__livereload (same
origin, so the Content-Security-Policy still holds); /__livereload.js is the
few lines of script that listen to it. Both exist only here, never in a
published build."""

from __future__ import annotations

import functools
import logging
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

log = logging.getLogger(__name__)

RELOAD_SCRIPT = b"""\
(function () {
  var source = new EventSource("/__livereload");
  source.onmessage = function () { window.location.reload(); };
})();
"""


class BuildCounter:
    """Bumped after every successful rebuild; SSE clients wait on it."""

    def __init__(self):
        self.value = 0
        self._cond = threading.Condition()

    def bump(self):
        with self._cond:
            self.value += 1
            self._cond.notify_all()

    def wait_past(self, seen: int, timeout: float) -> int:
        with self._cond:
            self._cond.wait_for(lambda: self.value != seen, timeout=timeout)
            return self.value


class Handler(SimpleHTTPRequestHandler):
    counter: BuildCounter

    def log_message(self, fmt, *args):  # quiet: one line per request is noise
        log.debug(fmt, *args)

    def do_GET(self):
        if self.path == "/__livereload.js":
            self._send(200, "text/javascript", RELOAD_SCRIPT)
        elif self.path == "/__livereload":
            self._stream()
        else:
            super().do_GET()

    def send_error(self, code, message=None, explain=None):
        # Serve the language's own 404 page, as a real host would be set up to.
        if code == 404:
            lang = self.path.strip("/").split("/", 1)[0]
            for candidate in (Path(self.directory) / lang / "404.html", Path(self.directory) / "404.html"):
                if candidate.is_file():
                    self._send(404, "text/html; charset=utf-8", candidate.read_bytes())
                    return
        super().send_error(code, message, explain)

    def _send(self, code, ctype, body):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def _stream(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        seen = self.counter.value
        try:
            while True:
                now = self.counter.wait_past(seen, timeout=15)
                if now != seen:
                    self.wfile.write(b"data: reload\n\n")
                    seen = now
                else:
                    self.wfile.write(b": keep-alive\n\n")
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass


def make_server(
    directory: Path, host: str = "127.0.0.1", port: int = 8000, counter: BuildCounter | None = None
) -> ThreadingHTTPServer:
    handler = functools.partial(
        type("BoundHandler", (Handler,), {"counter": counter or BuildCounter()}), directory=str(directory)
    )
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    return server


def watch_and_rebuild(paths: list[Path], rebuild, counter: BuildCounter, stop: threading.Event) -> None:
    """Rebuild whenever a watched file changes; a failed rebuild keeps the
    last good site and prints why."""
    from watchfiles import watch  # installed with Pelican

    for _changes in watch(*paths, stop_event=stop, debounce=200):
        started = time.perf_counter()
        try:
            rebuild()
        except Exception as exc:  # report and keep serving the last good site
            log.error("%s", exc)
            continue
        log.warning("rebuilt in %.1f s", time.perf_counter() - started)
        counter.bump()
