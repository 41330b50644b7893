"""Site search: a Pagefind index of the built site, one per language.

``index_site`` is a post-build step (``POST_BUILD_STEPS`` in pelicanconf.py):
it runs the Pagefind binary from the pinned ``pagefind-bin`` package on the
staging folder before it is swapped in. Pagefind reads each page's
``<html lang>`` and writes one index per language into ``pagefind/``; the
search page of a language loads the index of its own ``<html lang>``, so
results stay in the reader's language.

Only the main content is indexed: ``<main data-pagefind-body>`` on pages and
posts (base.html), never the header, navigation or footer. Pages without
``data-pagefind-body`` (listings, search, 404) are not indexed at all.

Pagefind has no Kyrgyz stemming: Kyrgyz words are matched as written (and
by prefix while typing). Its UI strings come from the theme's gettext
catalogs (search.html), Kyrgyz included."""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from pathlib import Path

BUNDLE_DIR = "pagefind"
# Not indexed even inside the main content: the "not translated" notice of
# a home page and anything a template marks with data-pagefind-ignore.
EXCLUDE_SELECTORS = ["#not-translated", ".notice-untranslated"]
# Pagefind writes several UIs; the search page uses the default one only.
UNUSED_BUNDLE_FILES = [
    "pagefind-component-ui.css",
    "pagefind-component-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-highlight.js",
]


class SearchIndexError(RuntimeError):
    """Pagefind failed; the build stops and keeps the previous site."""


def pagefind_executable() -> Path:
    """The binary shipped by the pinned pagefind-bin package."""
    try:
        from pagefind_bin import get_executable
    except ImportError as exc:  # pragma: no cover - requirements.txt installs it
        raise SearchIndexError(
            "pagefind-bin is not installed: run `python3 dev.py build` (it installs requirements.txt)"
        ) from exc
    return Path(get_executable())


def pagefind_command(site: Path, bundle_dir: str = BUNDLE_DIR) -> list[str]:
    cmd = [str(pagefind_executable()), "--site", str(site), "--output-subdir", bundle_dir, "--quiet"]
    for selector in EXCLUDE_SELECTORS:
        cmd += ["--exclude-selectors", selector]
    return cmd


def index_site(output_dir: Path, settings: dict | None = None) -> dict:
    """Index ``output_dir`` with Pagefind; returns what the bundle holds:
    ``{"seconds": float, "languages": {"ru": page_count, ...}}``."""
    output_dir = Path(output_dir)
    bundle = output_dir / BUNDLE_DIR
    shutil.rmtree(bundle, ignore_errors=True)
    started = time.perf_counter()
    proc = subprocess.run(pagefind_command(output_dir), capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if proc.returncode != 0 or not (bundle / "pagefind-entry.json").is_file():
        raise SearchIndexError(
            f"Pagefind could not index {output_dir} (exit {proc.returncode}):\n"
            + (proc.stdout + proc.stderr).strip()
        )
    for name in UNUSED_BUNDLE_FILES:
        (bundle / name).unlink(missing_ok=True)
    return {"seconds": seconds, "languages": indexed_languages(output_dir)}


def indexed_languages(output_dir: Path) -> dict[str, int]:
    """Languages in the bundle and their page counts, from pagefind-entry.json."""
    path = Path(output_dir) / BUNDLE_DIR / "pagefind-entry.json"
    try:
        entry = json.loads(path.read_text("utf-8"))
        return {lang: info["page_count"] for lang, info in entry["languages"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        # Seen with a full disk: Pagefind exits 0 but leaves the file empty.
        free = shutil.disk_usage(path.parent if path.parent.exists() else output_dir).free
        raise SearchIndexError(
            f"{path}: Pagefind wrote no readable index ({exc.__class__.__name__}: {exc}); "
            f"{free // 1_000_000} MB free on that disk: free some space and build again"
        ) from None
