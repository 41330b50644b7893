"""Development server: serves output/ on 127.0.0.1, rebuilds once per change
and tells open pages to reload.

The reload signal is a Server-Sent Events stream at /__livereload (same
origin, so the Content-Security-Policy still holds); /__livereload.js is the
few lines of script that listen to it. Both exist only here, never in a
published build.

``serve`` is ``invoke serve``: the watch loop and every rebuild run in the
main thread, so Ctrl+C (or SIGTERM, turned into the same) interrupts a
rebuild wherever it is; ``build.abandon`` then leaves ``output/`` as the last
good site and no staging folder behind. The HTTP server runs in a thread."""

from __future__ import annotations

import functools
import hashlib
import logging
import re
import signal
import sys
import threading
import urllib.parse
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

log = logging.getLogger(__name__)

RELOAD_SCRIPT = b"""\
(function () {
  var source = new EventSource("/__livereload");
  source.onmessage = function () { window.location.reload(); };
})();
"""

# A first path segment that may name a language folder with its own 404 page.
_LANGUAGE_SEGMENT = re.compile(r"[A-Za-z0-9_-]{1,32}")
_NAME_MAX = 255  # bytes in one file name on every common file system


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

    def send_head(self):
        status = _path_problem(self.path)
        if status:
            self.send_error(status)
            return None
        # The standard handler drops ".." segments, but a symbolic link in
        # output/ could still lead out of it.
        target = Path(self.translate_path(self.path)).resolve()
        if not target.is_relative_to(Path(self.directory).resolve()):
            self.send_error(404)
            return None
        return super().send_head()

    def send_error(self, code, message=None, explain=None):
        # Serve the language's own 404 page, as a real host would be set up to.
        if code == 404:
            root = Path(self.directory)
            first = _path_part(self.path).strip("/").split("/", 1)[0]
            candidates = [root / "404.html"]
            if _LANGUAGE_SEGMENT.fullmatch(first):  # never "..", never too long
                candidates.insert(0, root / first / "404.html")
            for candidate in candidates:
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
        seen = self.counter.value  # before the headers: no rebuild slips in between
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
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


def _path_part(target: str) -> str:
    # The path of a request target, taken as the standard handler takes it.
    return target.split("?", 1)[0].split("#", 1)[0]


def _path_problem(raw: str) -> int | None:
    """400 for a path no browser sends (NUL or control characters, "..");
    404 for a segment too long to be a file name. The standard handler would
    raise on either, dropping the connection with a traceback."""
    path = urllib.parse.unquote(_path_part(raw), errors="surrogateescape")
    if any(ord(char) < 32 or char == "\x7f" for char in path):
        return 400
    segments = path.split("/")
    if ".." in segments:
        return 400
    if any(len(segment.encode("utf-8", "surrogateescape")) > _NAME_MAX for segment in segments):
        return 404
    return None


class Server(ThreadingHTTPServer):
    daemon_threads = True
    # The standard backlog of 5 made browsers' and tests' bursts of
    # connections wait for SYN retries (up to 30 s); the kernel caps this.
    request_queue_size = 1024

    def handle_error(self, request, client_address):
        # A reader who closes the tab mid-response is not an error.
        error = sys.exc_info()[1]
        if isinstance(error, ConnectionError | TimeoutError):
            return
        log.error("request from %s failed: %r", client_address[0], error)


def make_server(
    directory: Path, host: str = "127.0.0.1", port: int = 8000, counter: BuildCounter | None = None
) -> Server:
    handler = functools.partial(
        type("BoundHandler", (Handler,), {"counter": counter or BuildCounter()}), directory=str(directory)
    )
    return Server((host, port), handler)


def digests(output: Path) -> dict[str, bytes]:
    """A digest of every file of a built site, to tell what a rebuild changed
    (every build rewrites every file, so times say nothing)."""
    return {
        path.relative_to(output).as_posix(): hashlib.blake2b(path.read_bytes(), digest_size=16).digest()
        for path in output.rglob("*")
        if path.is_file()
    }


def changed(before: dict[str, bytes], after: dict[str, bytes]) -> tuple[int, int]:
    """(pages, other files) added, removed or changed."""
    paths = {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}
    pages = sum(path.endswith(".html") for path in paths)
    return pages, len(paths) - pages


def watched_paths(settings: dict) -> list[Path]:
    """The folders whose files make the site: content and theme (templates,
    static files, translations). The kit's Python code is imported once per
    process and the settings file is not watched: changing either needs a
    restart."""
    paths = [Path(settings["PATH"]), Path(settings["THEME"])]
    translations = Path(settings.get("THEME_TRANSLATIONS") or paths[1] / "translations")
    if not translations.is_relative_to(paths[1]):
        paths.append(translations)
    return [path for path in paths if path.is_dir()]


def change_filter(output: Path, cache: Path):
    """Editors' swap and backup files (watchfiles' defaults) and whatever the
    build writes itself are not changes: compiled catalogs beside their .po,
    the .pot of ``invoke catalogs-update``, and the output, staging and cache
    folders should they lie below a watched folder."""
    from watchfiles import DefaultFilter

    from sitekit.outputdir import helper_name_pattern, lock_path

    output = output.resolve()
    return DefaultFilter(
        ignore_entity_patterns=(
            *DefaultFilter.ignore_entity_patterns,
            r"\.mo$",
            r"\.pot$",
            helper_name_pattern(output).pattern,
        ),
        ignore_paths=[output, lock_path(output), cache.resolve()],
    )


class _Stop(KeyboardInterrupt):
    """SIGTERM: stop as Ctrl+C does."""


def _raise_stop(signum, frame):
    raise _Stop


class _Builds:
    """Runs the builds of one dev server and logs one line for each."""

    def __init__(self, settings_file: Path, output: Path, overrides: dict, warnings_once):
        from sitekit import build

        self.build = build
        self.settings_file = settings_file
        self.output = output
        self.overrides = overrides
        self.warnings_once = warnings_once
        self.root = Path(settings_file).resolve().parent  # the project
        # Of the site being served: what a rebuild's changes are counted against.
        self.digests = digests(output) if output.is_dir() else {}

    def run(self, batch: set | None = None) -> bool:
        """The first build (no ``batch``) or a rebuild for the changes in
        ``batch``; False when it failed and the last good site stays."""
        what = "build" if batch is None else "rebuild"
        cause = f" ({self.describe(batch)})" if batch else ""
        try:
            result = self.build.build_site(self.settings_file, self.output, self.overrides)
        except self.build.BuildError as exc:
            # Errors that Pelican or a plugin logged are shown above already;
            # an exception's message is not.
            log.error(
                "%s failed%s; %s/ left as it was%s",
                what,
                cause,
                self.relative(self.output),
                f": {exc.__cause__}" if exc.__cause__ else "",
            )
            return False
        finally:
            if self.warnings_once is not None:
                self.warnings_once.next_build()
        before, self.digests = self.digests, digests(result.output)
        languages = ", ".join(result.languages)
        line = f"{'built' if batch is None else 'rebuilt'} {languages} in {result.seconds:.1f} s; "
        if batch is None:
            line += _count(sum(path.endswith(".html") for path in self.digests), "page")
        else:
            pages, others = changed(before, self.digests)
            line += _count(pages, "page") + (f" and {_count(others, 'other file')}" if others else "")
            line += " changed" + cause
        if result.warnings:
            # Shown above when they first came; this tells they are still there.
            line += f"; {_count(len(result.warnings), 'warning')}"
        log.info("%s", line)
        return True

    def describe(self, batch: set) -> str:
        paths = sorted({self.relative(path) for _change, path in batch})
        return ", ".join(paths[:2]) + (f" and {len(paths) - 2} more" if len(paths) > 2 else "")

    def relative(self, path) -> str:
        path = Path(path).resolve()
        return path.relative_to(self.root).as_posix() if path.is_relative_to(self.root) else str(path)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def serve(
    settings_file: Path,
    output: Path,
    port: int = 8000,
    overrides: dict | None = None,
    warnings_once=None,
    notice=None,
) -> None:
    """Build, serve ``output`` on 127.0.0.1:``port`` (0: any free port),
    rebuild on every change, until Ctrl+C or SIGTERM; then return normally.

    ``warnings_once`` is the ``logs.ShownOnce`` filter of the console, told
    when a build ends; ``notice()`` returns a line to log once after the
    first build (the pages waiting for a translation review)."""
    from watchfiles import watch

    from sitekit.build import abandon, load_settings

    # Ctrl+C stops the server even when its parent had SIGINT ignored (a
    # shell does that to background jobs), and SIGTERM stops it the same way.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _raise_stop)
    overrides = {**(overrides or {}), "LIVERELOAD": True}
    settings = load_settings(settings_file, overrides)
    builds = _Builds(settings_file, output, overrides, warnings_once)
    counter = BuildCounter()
    server = None
    try:
        changes = watch(
            *watched_paths(settings),
            watch_filter=change_filter(output, Path(settings["CACHE_PATH"])),
            debounce=200,
            rust_timeout=500,  # so that the first step returns once the watcher is armed
            yield_on_timeout=True,
        )
        next(changes)  # armed: from here on no edit goes unseen
        builds.run()
        if notice and (line := notice()):
            log.info("%s", line)
        server = make_server(output, "127.0.0.1", port, counter)
        threading.Thread(target=server.serve_forever, args=(0.1,), name="http", daemon=True).start()
        log.info(
            "Serving on http://localhost:%d/ (Ctrl+C to stop); rebuilding on changes in %s",
            server.server_address[1],
            ", ".join(f"{builds.relative(path)}/" for path in watched_paths(settings)),
        )
        # Changes made during a rebuild wait in the watcher and come out
        # together on the next step: one more rebuild, not one per change.
        for batch in changes:
            if batch and builds.run(batch):
                counter.bump()
    except KeyboardInterrupt:  # Ctrl+C, or SIGTERM through _raise_stop
        pass
    finally:
        # A second Ctrl+C must not cut the clean-up short.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        if server is not None:
            server.shutdown()
            server.server_close()
        abandon(output)
    log.info("Stopped; %s/ holds the last good site", builds.relative(output))
