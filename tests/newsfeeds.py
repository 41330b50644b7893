"""Feeds served from 127.0.0.1 for the news tests and the fetch benchmark:
a threaded HTTP server whose routes are plain functions (a route "*"
answers every other path), recording every request's headers and the most
requests it had in hand at once; and compression bombs, made for real."""

from __future__ import annotations

import contextlib
import socket
import struct
import sys
import threading
import time
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Reply:
    def __init__(self, status=200, body=b"", headers=None, delay=0.0, chunks=None):
        self.status = status
        self.body = body
        self.headers = headers or {}
        self.delay = delay
        self.chunks = chunks  # an iterable of bytes: sent chunked, no length


class FeedServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 2048  # many feeds connect at once

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)

    def __init__(self, routes):
        self.routes = routes
        self.requests: list[tuple[str, dict]] = []
        self.lock = threading.Lock()
        self.in_hand = 0  # requests being answered now
        self.most_in_hand = 0
        super().__init__(("127.0.0.1", 0), _Handler)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def requests_to(self, path: str) -> list[dict]:
        with self.lock:
            return [h for p, h in self.requests if p == path]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def setup(self):
        super().setup()
        # Headers and body go out as separate writes: without this, a reused
        # (keep-alive) connection waits for the client's delayed ACK, 40 ms a
        # request, which no real web server does.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, *args):
        pass

    def do_GET(self):
        server: FeedServer = self.server
        headers = {k.lower(): v for k, v in self.headers.items()}
        with server.lock:
            server.requests.append((self.path, headers))
            server.in_hand += 1
            server.most_in_hand = max(server.most_in_hand, server.in_hand)
        try:
            self._answer(server, headers)
        finally:
            with server.lock:
                server.in_hand -= 1

    def _answer(self, server, headers):
        route = server.routes.get(self.path) or server.routes.get("*")
        reply = route(headers) if route else Reply(404, b"not found")
        try:
            if reply.delay:
                time.sleep(reply.delay)
            self.send_response(reply.status)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            if reply.chunks is not None:
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                for chunk in reply.chunks:
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                self.wfile.write(b"0\r\n\r\n")
            else:
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                self.wfile.write(reply.body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (size cap, timeout): that is the point


@contextlib.contextmanager
def serve(routes):
    server = FeedServer(routes)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def closed_port() -> int:
    """A free port on 127.0.0.1: nothing listens there until a test does."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rss(items, title="Test feed", encoding="utf-8", link="http://127.0.0.1/") -> bytes:
    """RSS 2.0; items are dicts with title, link, description, pubDate."""
    parts = [
        f'<?xml version="1.0" encoding="{encoding}"?>\n<rss version="2.0"><channel>'
        f"<title>{title}</title><link>{link}</link><description>t</description>"
    ]
    for item in items:
        parts.append("<item>")
        for key in ("title", "link", "description", "pubDate", "guid"):
            if key in item:
                parts.append(f"<{key}>{item[key]}</{key}>")
        parts.append("</item>")
    parts.append("</channel></rss>")
    return "".join(parts).encode(encoding)


def atom(entries, title="Atom feed") -> bytes:
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>{title}</title><id>urn:test:feed</id>"
        "<updated>2026-11-20T10:00:00Z</updated>"
    ]
    for entry in entries:
        parts.append("<entry>")
        parts.append(f"<title>{entry['title']}</title><id>{entry['id']}</id>")
        parts.append(f'<link rel="alternate" href="{entry["href"]}"/>')
        if "updated" in entry:
            parts.append(f"<updated>{entry['updated']}</updated>")
        if "summary" in entry:
            parts.append(f'<summary type="html">{entry["summary"]}</summary>')
        parts.append("</entry>")
    parts.append("</feed>")
    return "".join(parts).encode("utf-8")


def gzip_bomb(size: int, piece: int = 1 << 20) -> bytes:
    """A gzip body of ``size`` zero bytes (``size`` a multiple of ``piece``),
    about a thousand times smaller. Made the quick way: one compressed block
    of ``piece`` zeros, ended by a full flush so that it stands alone,
    repeated; then an empty final block and the real CRC-32 and length."""
    deflate = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    block = deflate.compress(bytes(piece)) + deflate.flush(zlib.Z_FULL_FLUSH)
    count = size // piece
    crc = 0
    zeros = bytes(piece)
    for _ in range(count):
        crc = zlib.crc32(zeros, crc)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    final = b"\x03\x00"  # an empty final fixed-Huffman block
    return header + block * count + final + struct.pack("<II", crc, size & 0xFFFFFFFF)


def brotli_bomb(size: int, piece: int = 1 << 20) -> bytes:
    """A brotli body of ``size`` zero bytes, a few kilobytes long."""
    import brotli

    compressor = brotli.Compressor(quality=2, lgwin=24)
    zeros = bytes(piece)
    out = [compressor.process(zeros) for _ in range(size // piece)]
    out.append(compressor.finish())
    return b"".join(out)


_MEASURE = """
import json, resource, sys
from sitekit.plugins.news.feeds import Feed
from sitekit.plugins.news.fetch import FetchOptions, fetch_feeds

url, warm, cache, options = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
feed = Feed("Bomb", url, ("en",), "en")
# Warmed up first on a small feed: the same code paths, already in memory.
fetch_feeds([Feed("Warm", warm, ("en",), "en")], cache + ".warm", FetchOptions(**options))
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
result = fetch_feeds([feed], cache, FetchOptions(**options))[0]
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"status": result.status, "reason": result.reason, "before_kb": before, "peak_kb": after}))
"""


def measure_fetch(url: str, warm_url: str, cache, timeout: float = 120, **options) -> dict:
    """Fetch one feed in a fresh Python process, after a small one
    (``warm_url``); its status, reason and peak memory (maximum resident set
    size, KB) before and after."""
    import json
    import subprocess

    proc = subprocess.run(
        [sys.executable, "-c", _MEASURE, url, warm_url, str(cache), json.dumps(options)],
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


@contextlib.contextmanager
def serve_many(body: bytes, delay: float, lifetime: float = 300):
    """Every path answered with ``body`` after ``delay`` seconds, by a server
    in a process of its own (so that it does not share the interpreter lock
    with the fetching code under test). Yields (base URL, stats()), where
    stats() gives the requests answered and the most in hand at once. The
    server stops when this ends, or after ``lifetime`` seconds at most."""
    import json
    import subprocess
    import urllib.request

    proc = subprocess.Popen(
        [sys.executable, __file__, "many", str(delay), str(lifetime)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        proc.stdin.write(body.hex() + "\n")
        proc.stdin.flush()
        base = proc.stdout.readline().strip()
        assert base.startswith("http://127.0.0.1:"), base

        def stats() -> dict:
            with urllib.request.urlopen(f"{base}/_stats", timeout=10) as reply:
                return json.loads(reply.read())

        yield base, stats
    finally:
        proc.stdin.close()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _serve_many_main(delay: float, lifetime: float) -> None:
    import json

    body = bytes.fromhex(sys.stdin.readline().strip())

    def route(headers):
        time.sleep(delay)
        return Reply(200, body, {"Content-Type": "application/rss+xml"})

    routes = {"*": route}
    with serve(routes) as server:

        def stats(headers):
            with server.lock:
                count = sum(1 for path, _ in server.requests if path != "/_stats")
                data = {"requests": count, "most_in_hand": server.most_in_hand}
            return Reply(200, json.dumps(data).encode(), {"Content-Type": "application/json"})

        routes["/_stats"] = stats
        print(server.base, flush=True)
        # Until the test closes stdin (or the lifetime is up).
        watcher = threading.Thread(target=sys.stdin.read, daemon=True)
        watcher.start()
        watcher.join(lifetime)


if __name__ == "__main__" and sys.argv[1:2] == ["many"]:
    _serve_many_main(float(sys.argv[2]), float(sys.argv[3]))
