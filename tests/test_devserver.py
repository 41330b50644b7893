"""The dev server as an editor uses it: the real `invoke serve` process, on a
copy of the project, edited, stopped with real signals, asked for bad paths.

Each server runs `python -m invoke serve --port 0` in the copy, in its own
process group (as a terminal runs it), with the interpreter of these tests:
`-m` puts the copy first on sys.path, so it runs the copy's kit and tasks
(checked through the copy's __pycache__), not those this kit was installed
from."""

from __future__ import annotations

import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import ROOT

pytestmark = pytest.mark.slow

READY = r"Serving on http://localhost:(\d+)/"
# "rebuilt en, ru, ky in 0.7 s; 0 pages and 1 other file changed (theme/static/css/site.css)"
REBUILT = (
    r"rebuilt en, ru, ky in [\d.]+ s; (\d+) pages?(?: and (\d+) other files?)? changed"
    r" \((.*?)\)(?:; \d+ warnings?)?$"
)
QUIET = 10  # seconds without a rebuild after the last edit


def project_copy(dest: Path, extra_settings: str = "") -> Path:
    """A fresh repository holding what git would commit from this working
    tree (committed or not; nothing it ignores), committed once, so that its
    `git status` shows only what happens after."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout
    for name in filter(None, listed.split(b"\0")):
        source = ROOT / os.fsdecode(name)
        if source.is_file():  # not a deletion that is not committed yet
            target = dest / os.fsdecode(name)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    if extra_settings:
        with open(dest / "pelicanconf.py", "a", encoding="utf-8") as fh:
            fh.write(extra_settings)
    git(dest, "init", "-q")
    git(dest, "add", "-A")
    git(dest, "commit", "-q", "-m", "copy of the project")
    return dest


def git(cwd: Path, *args: str) -> str:
    identity = ["-c", "user.name=tests", "-c", "user.email=tests@127.0.0.1", "-c", "commit.gpgsign=false"]
    done = subprocess.run(["git", *identity, *args], cwd=cwd, capture_output=True, text=True, check=True)
    return done.stdout


class Server:
    """`invoke serve` in ``project``; collects its log lines."""

    def __init__(self, project: Path):
        self.project = project
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONDONTWRITEBYTECODE")}
        self.proc = subprocess.Popen(
            # --write-pyc: invoke writes no __pycache__ otherwise, and the
            # check below needs one.
            [sys.executable, "-m", "invoke", "--write-pyc", "serve", "--port", "0"],
            cwd=project,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            encoding="utf-8",
            start_new_session=True,  # its own process group, like a terminal's foreground job
        )
        self.lines: list[str] = []
        self._cond = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()
        self.port = int(self.wait_for(READY)[0].group(1))
        assert (project / "sitekit" / "__pycache__").is_dir(), "the server did not run the copy's kit"

    def _read(self):
        for line in self.proc.stdout:
            with self._cond:
                self.lines.append(line.rstrip("\n"))
                self._cond.notify_all()
        with self._cond:
            self._cond.notify_all()

    def matching(self, pattern: str) -> list[re.Match]:
        with self._cond:
            return [m for line in self.lines if (m := re.search(pattern, line))]

    def wait_for(self, pattern: str, count: int = 1, timeout: float = 120) -> list[re.Match]:
        """The lines matching, once there are ``count``; fails with the log
        if they do not come (a guard against hanging, not a measure of speed)."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while len(found := self.matching(pattern)) < count:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self.proc.poll() is not None:
                    pytest.fail(f"no {count} line(s) matching {pattern!r}; log:\n" + self.log())
                self._cond.wait(min(remaining, 1))
            return found

    def log(self) -> str:
        with self._cond:
            return "\n".join(self.lines)

    def get(self, path: str) -> tuple[int, str]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            return response.status, response.read().decode("utf-8")
        finally:
            conn.close()

    def stop(self, signum: int) -> tuple[int, float]:
        """Send ``signum`` to the whole process group, as Ctrl+C (SIGINT)
        or a service manager (SIGTERM) does; returns exit status and seconds."""
        started = time.monotonic()
        os.killpg(self.proc.pid, signum)
        status = self.proc.wait(timeout=60)
        return status, time.monotonic() - started

    def kill(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()


class ReloadEvents:
    """An open page's /__livereload stream: counts the reload events."""

    def __init__(self, port: int):
        self.count = 0
        self._cond = threading.Condition()
        self._conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self._conn.request("GET", "/__livereload")
        self._sock = self._conn.sock  # the response takes it over
        response = self._conn.getresponse()
        assert response.getheader("Content-Type") == "text/event-stream"
        threading.Thread(target=self._read, args=(response,), daemon=True).start()

    def _read(self, response):
        try:
            for line in response.fp:
                if line == b"data: reload\n":
                    with self._cond:
                        self.count += 1
                        self._cond.notify_all()
        except OSError:
            pass

    def wait_for(self, count: int, timeout: float = 60) -> int:
        with self._cond:
            self._cond.wait_for(lambda: self.count >= count, timeout=timeout)
            return self.count

    def close(self):
        self._sock.shutdown(socket.SHUT_RDWR)  # ends the reading thread
        self._conn.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    server = Server(project_copy(tmp_path_factory.mktemp("project")))
    yield server
    server.kill()


def edit(path: Path, old: str, new: str) -> None:
    """Replace ``old`` with ``new`` once; append ``new`` when ``old`` is empty."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path}: {old!r} not found; update this test"
    path.write_text(text.replace(old, new, 1) if old else text + new, encoding="utf-8")


# One edit in each watched folder: file, old text, new text, a URL showing it.
EDITS = [
    ("content/en/pages/rights.md", "", "\nEdited page text.\n", "/rights/"),
    (
        "content/data/hotline.yml",
        "en: Free legal aid (state)",
        "en: Free legal aid (state, edited data)",
        "/",
    ),
    (
        "content/schedules/2027-06-legal-consultations.csv",
        "Free legal consultations in Tokmok",
        "Edited schedule consultations in Tokmok",
        "/events/2027-06-legal-consultations-chui-0608/",
    ),
    ("theme/templates/base.html", "</body>", "<!-- edited template --></body>", "/about/"),
    ("theme/static/css/site.css", "}", "}\n/* edited stylesheet */", "/theme/css/site.css"),
    (
        "theme/translations/ru/LC_MESSAGES/messages.po",
        'msgstr "Уйти со страницы"',
        'msgstr "Уйти со страницы, правка"',
        "/ru/",
    ),
]


def test_one_rebuild_and_one_reload_per_edit_then_quiet(server):
    events = ReloadEvents(server.port)
    try:
        for number, (name, old, new, url) in enumerate(EDITS, start=1):
            new_text = re.search(r"[Ee]dited [\w ]+|правка", new).group(0)
            _status, before = server.get(url)
            assert new_text not in before
            edit(server.project / name, old, new)
            rebuilt = server.wait_for(REBUILT, count=number)[-1]
            # This rebuild was for this edit alone: nothing the build wrote
            # itself (compiled catalogs) came along.
            assert rebuilt.group(3) == name, server.log()
            assert int(rebuilt.group(1)) + int(rebuilt.group(2) or 0) > 0, (
                f"{name}: the rebuild changed nothing"
            )
            assert events.wait_for(number) == number, f"{name}: no reload event"
            status, body = server.get(url)
            assert status == 200 and new_text in body, f"{name}: {url} does not show the edit"
        time.sleep(QUIET)
        assert len(server.matching(REBUILT)) == len(EDITS), server.log()
        assert events.count == len(EDITS)
    finally:
        events.close()
    assert not server.matching(r"WARNING|ERROR|Traceback"), server.log()
    # The translation review list is printed once, at start-up, not per build.
    assert len(server.matching(r"wait for a native speaker's review")) == 1, server.log()


def raw_request(port: int, target: str) -> bytes:
    """A request line sent as it is (no client normalises it), whole reply."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(f"GET {target} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".encode())
        reply = b""
        while chunk := sock.recv(65536):
            reply += chunk
    return reply


def status_of(reply: bytes) -> int:
    match = re.match(rb"HTTP/1\.[01] (\d{3}) ", reply)
    assert match, f"no status line; the server dropped the connection: {reply[:200]!r}"
    return int(match.group(1))


@pytest.mark.parametrize(
    "target",
    ["/../x", "/../404.html", "/../README.md", "/%2e%2e/README.md", "/..%2fREADME.md", "/ru/../../x"],
)
def test_never_serves_a_file_outside_output(server, target):
    # What a lax server would send: the project's README and a 404 page one
    # level above output/.
    above = server.project / "404.html"
    above.write_text("OUTSIDE-OUTPUT", encoding="utf-8")
    try:
        reply = raw_request(server.port, target)
    finally:
        above.unlink()
    assert status_of(reply) in (400, 404)
    assert b"OUTSIDE-OUTPUT" not in reply
    assert b"Torture-prevention site kit" not in reply  # README.md's title
    assert "Traceback" not in server.log()


@pytest.mark.parametrize(
    "target", ["/" + "a" * 300, "/ru/" + "б" * 150 + "/", "/%00", "/ru/%00.html", "/%00/x", "/x%0a"]
)
def test_bad_paths_get_400_or_404_without_a_traceback(server, target):
    assert status_of(raw_request(server.port, target)) in (400, 404)
    assert "Traceback" not in server.log()


def test_keeps_up_with_200_concurrent_requests(server):
    # Not a speed test: every request must be answered. With the standard
    # backlog of 5 some waited for SYN retries past a 30 s timeout.
    count = 200
    start = threading.Barrier(count)
    statuses: list[int | str] = []
    lock = threading.Lock()

    def fetch():
        start.wait()
        try:
            result = status_of(raw_request(server.port, "/"))
        except (OSError, AssertionError) as exc:
            result = repr(exc)
        with lock:
            statuses.append(result)

    threads = [threading.Thread(target=fetch) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    failed = [status for status in statuses if status != 200]
    assert len(statuses) == count and not failed, f"{len(failed)} of {count} failed, e.g. {failed[:3]}"


def test_ctrl_c_when_idle_stops_cleanly(server):
    # Last in this module: stops the shared server.
    status, seconds = server.stop(signal.SIGINT)
    print(f"stopped {seconds:.2f} s after SIGINT (idle)")
    assert status == 0, server.log()
    assert_clean_stop(server.project)
    git(server.project, "checkout", "--", ".")  # the edits of the tests above
    assert git(server.project, "status", "--porcelain") == ""


def assert_clean_stop(project: Path) -> None:
    # The lock file stays (a build waiting on it must find the same file);
    # no staging or replaced folder may.
    left = sorted(p.name for p in project.iterdir() if "output" in p.name)
    assert left in (["output"], [".output.lock", "output"]), left
    assert (project / "output" / "index.html").is_file()


# Appended to the copy's pelicanconf.py: a build's last step waits while
# .cache/hold exists, so a test can stop the server during a rebuild.
HOLD = """

def _hold_for_test(staging, settings):
    import pathlib
    import time

    gate = pathlib.Path(__file__).parent / ".cache" / "hold"
    if gate.exists():
        (gate.parent / "holding").touch()
        deadline = time.monotonic() + 120
        while gate.exists() and time.monotonic() < deadline:
            time.sleep(0.05)


POST_BUILD_STEPS = [*POST_BUILD_STEPS, _hold_for_test]
"""


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_stopping_during_a_rebuild_leaves_the_last_good_site(tmp_path, signum):
    project = project_copy(tmp_path / "project", HOLD)
    server = Server(project)
    try:
        page = project / "output" / "rights" / "index.html"
        last_good = page.read_bytes()
        (project / ".cache" / "hold").touch()
        edit(project / "content" / "en" / "pages" / "rights.md", "", "\nNever served.\n")
        deadline = time.monotonic() + 120
        while not (project / ".cache" / "holding").exists():
            assert time.monotonic() < deadline and server.proc.poll() is None, server.log()
            time.sleep(0.05)
        (staging,) = project.glob(".output.building-*")
        assert b"Never served." in (staging / "rights" / "index.html").read_bytes()
        status, seconds = server.stop(signum)
        print(f"stopped {seconds:.2f} s after {signal.Signals(signum).name} during a rebuild")
    finally:
        server.kill()
    assert status == 0, server.log()
    assert_clean_stop(project)
    assert page.read_bytes() == last_good
    assert "Traceback" not in server.log()
    assert server.matching(r"Stopped; output/ holds the last good site"), server.log()
    git(project, "checkout", "--", "content")  # the test's own edit
    assert git(project, "status", "--porcelain") == ""
