"""News fetch: 10 feeds on 127.0.0.1, each answering after 1 s, fetched
together (should take about 1 s, not 10); then the same feeds answering
304 Not Modified to the conditional request (also after 1 s)."""

from __future__ import annotations

import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

FEEDS = 10
DELAY = 1.0
ITEMS = 50


def _body(n: int) -> bytes:
    now = datetime.now(UTC)
    items = "".join(
        f"<item><title>Feed {n}: torture prevention report {i}</title>"
        f"<link>http://127.0.0.1/{n}/{i}</link>"
        f"<description>&lt;p&gt;Item {i} of feed {n}.&lt;/p&gt;</description>"
        f"<pubDate>{format_datetime(now - timedelta(hours=i))}</pubDate></item>"
        for i in range(ITEMS)
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Bench {n}</title><link>http://127.0.0.1/</link>"
        f"<description>b</description>{items}</channel></rss>"
    ).encode()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        time.sleep(DELAY)
        n = int(self.path.strip("/").split(".")[0])
        etag = f'"bench-{n}"'
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return
        body = self.server.bodies[n]
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
        self.send_header("ETag", etag)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64


def run() -> list[str]:
    from sitekit.plugins.news.feeds import Feed
    from sitekit.plugins.news.fetch import FetchOptions, fetch_feeds

    server = _Server(("127.0.0.1", 0), _Handler)
    server.bodies = [_body(n) for n in range(FEEDS)]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    feeds = [Feed(f"Bench {n}", f"{base}/{n}.xml", ("en",), "en") for n in range(FEEDS)]
    options = FetchOptions(read_timeout=5, feed_timeout=10, deadline=20)
    lines = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            cache = Path(tmp) / "cache.json"
            for label in (
                f"{FEEDS} feeds, each answering after {DELAY:g} s ({ITEMS} items)",
                f"{FEEDS} feeds answering 304 Not Modified after {DELAY:g} s",
            ):
                started = time.perf_counter()
                results = fetch_feeds(feeds, cache, options)
                seconds = time.perf_counter() - started
                statuses = sorted({r.status for r in results})
                lines.append(
                    f"{label}: {seconds:.2f} s ({', '.join(statuses)}; "
                    f"one after another would take {FEEDS * DELAY:g} s or more)"
                )
    finally:
        server.shutdown()
        server.server_close()
    return lines
