"""Edit to preview through the real dev server: what an editor waits for
between saving a file and the rebuilt page being served.

``DevServer(content, output, cache)`` runs ``devserver.serve`` (what
`invoke serve` runs) in a child process on a content folder, with this
project's pelicanconf.py; ``edit(path, text, url)`` appends ``text`` to a
file and polls ``url`` until the page shows it: the time includes the
watcher noticing the change, the rebuild and the file being in place."""

from __future__ import annotations

import http.client
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
READY = re.compile(r"Serving on http://localhost:(\d+)/")


class DevServer:
    def __init__(self, content: Path, output: Path, cache: Path, timeout: float = 600):
        env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "sitekit.bench.devloop", str(content), str(output), str(cache)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        self.lines: list[str] = []
        self._ready = threading.Event()
        self.port = 0
        threading.Thread(target=self._read, daemon=True).start()
        started = time.perf_counter()
        if not self._ready.wait(timeout) or not self.port:
            self.stop()
            raise RuntimeError("the dev server did not start:\n" + "\n".join(self.lines[-30:]))
        self.startup_seconds = time.perf_counter() - started

    def _read(self):
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))
            if found := READY.search(line):
                self.port = int(found.group(1))
                self._ready.set()
        self._ready.set()

    def get(self, path: str) -> str:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            return response.read().decode("utf-8", "replace")
        finally:
            conn.close()

    def edit(self, path: Path, text: str, url: str, timeout: float = 300) -> float:
        """Seconds from saving ``text`` at the end of ``path`` to ``url``
        serving it."""
        assert text not in self.get(url), f"{url} already shows {text!r}"
        before = path.read_text(encoding="utf-8")
        started = time.perf_counter()
        path.write_text(before + f"\n{text}\n", encoding="utf-8")
        while text not in self.get(url):
            if time.perf_counter() - started > timeout or self.proc.poll() is not None:
                raise RuntimeError(f"{url} never showed the edit:\n" + "\n".join(self.lines[-30:]))
            time.sleep(0.005)
        return time.perf_counter() - started

    def rebuild_lines(self) -> list[str]:
        return [line for line in self.lines if " rebuilt " in line or "rebuild failed" in line]

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGINT)
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


def _serve(content: str, output: str, cache: str) -> None:
    from sitekit import devserver, logs

    once = logs.setup(info=("sitekit.devserver",), clock=True)
    devserver.serve(
        ROOT / "pelicanconf.py",
        Path(output),
        0,
        overrides={"PATH": content, "CACHE_PATH": cache},
        warnings_once=once,
    )


if __name__ == "__main__":
    _serve(*sys.argv[1:4])
