"""Edit-to-preview time on the bundled site: what an editor waits for after
saving a page while `invoke serve` runs (the watcher adds ~0.2 s debounce)."""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

from sitekit.build import ROOT, build_site


def run() -> list[str]:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        content = tmp / "content"
        shutil.copytree(ROOT / "content", content)
        overrides = {"PATH": str(content), "CACHE_PATH": str(tmp / "cache")}
        cold = build_site("pelicanconf.py", tmp / "output", overrides).seconds
        page = next(iter(sorted((content / "ru" / "pages").glob("*.md"))))
        page.write_text(page.read_text(encoding="utf-8") + "\nПравка.\n", encoding="utf-8")
        started = time.perf_counter()
        build_site("pelicanconf.py", tmp / "output", overrides)
        warm = time.perf_counter() - started
    return [
        f"bundled site, cold build:             {cold:.2f} s",
        f"bundled site, rebuild after one edit: {warm:.2f} s (+0.2 s watcher debounce)",
    ]
