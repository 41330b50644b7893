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
    """Post-build step: the whole site in one run (see also ``per_language``)."""
    return _index_whole_site(output_dir)


def _index_whole_site(output_dir: Path) -> dict:
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


# -- one language at a time, as each language's run ends -----------------------
#
# Pagefind makes each language's index from that language's pages alone, so
# indexing each language on its own gives the same files as one run over the
# whole site (the file names are hashes of their content, with the
# language in front); only pagefind-entry.json, which lists the languages,
# is written once all are there. The build driver runs these commands as
# soon as a language's run has ended, while the others are still building:
# the index no longer waits for the last language, and each run holds one
# language's pages in memory (about 90 MB at 1,000 pages) instead of all of
# them (210 MB).
#
# Each run writes straight into pagefind/, one at a time (the driver never
# starts two): the files they share (the scripts, the generic WASM) are the
# same bytes, and pagefind-entry.json, which each run writes for its own
# language, is kept aside after each run (``keep_entry``) and written for
# all of them at the end (``merge_languages``). Writing each into a folder
# of its own and moving the files over cost a tenth of a second a language.

# Where each language's entry and configuration are kept until the end: the
# build gives a temporary folder; by default inside the site.
PARTS_DIR = ".pagefind-parts"


def _parts(output_dir: Path, parts: Path | None) -> Path:
    return Path(parts) if parts is not None else Path(output_dir) / PARTS_DIR


MARKER = b"data-pagefind-body"


def language_files(output_dir: Path, prefix: str, other_prefixes: set[str]) -> list[Path]:
    """One language's HTML files: its folder, or for the main language
    everything but the other languages' folders (and hidden ones)."""
    output_dir = Path(output_dir)
    if prefix:
        return sorted((output_dir / prefix).rglob("*.html"))
    found = []
    for entry in sorted(output_dir.iterdir()):
        if entry.name in other_prefixes or entry.name.startswith(".") or entry.name == BUNDLE_DIR:
            continue
        if entry.is_dir():
            found += sorted(entry.rglob("*.html"))
        elif entry.suffix == ".html":
            found.append(entry)
    return found


# Characters that mean something in a Pagefind glob (its "wax" patterns);
# a backslash makes each stand for itself.
_GLOB_SPECIAL = set("?*$:<>()[]{},\\")


def _literal(path: str) -> str:
    return "".join("\\" + c if c in _GLOB_SPECIAL else c for c in path)


def language_config(output_dir: Path, lang: str, prefix: str, other_prefixes: set[str]) -> dict:
    """Pagefind's configuration for one language: a glob naming its pages
    one by one, and where a page's content starts.

    Pagefind indexes only pages marked ``data-pagefind-body`` once any page
    of the site is, but it reads every page to find out: a status page of
    3,000 rows, the posts listing and the events pages were about a tenth
    of its time. So it is given the marked pages alone (a language with no
    marked page gives all of its pages). Naming them in a glob costs a
    read of each page here (about 0.03 s at 1,000 pages); hard-linking
    them into a folder of their own, as before, cost five times that.

    The marked element is the theme's ``<main>`` (base.html): starting
    there, Pagefind skips the header and footer it would only have passed
    over (the same index, a tenth less of its time)."""
    output_dir = Path(output_dir)
    files = language_files(output_dir, prefix, other_prefixes)
    marked = [path for path in files if MARKER in path.read_bytes()]
    names = [_literal(path.relative_to(output_dir).as_posix()) for path in marked or files]
    config = {"glob": "{" + ",".join(names) + "}"}
    if marked:
        config["root_selector"] = "main"
    return config


def language_command(
    output_dir: Path, lang: str, prefix: str, other_prefixes: set[str], parts: Path | None = None
) -> tuple[list[str], Path]:
    """(argv, working folder) of the Pagefind run for one language, writing
    into ``pagefind/``. ``language_config`` goes in a configuration file
    (pagefind.json in the folder Pagefind runs in): a command-line argument
    is limited to 128 KB on Linux, about 4,500 pages' names."""
    output_dir = Path(output_dir).resolve()
    config = _parts(output_dir, parts).resolve() / f"{lang}-config"
    config.mkdir(parents=True, exist_ok=True)
    settings = language_config(output_dir, lang, prefix, other_prefixes)
    (config / "pagefind.json").write_text(json.dumps(settings), encoding="utf-8")
    cmd = pagefind_command(output_dir)
    cmd[cmd.index("--output-subdir") + 1] = BUNDLE_DIR
    return cmd, config


def keep_entry(output_dir: Path, lang: str, parts: Path | None = None) -> None:
    """Right after a language's Pagefind run: its pagefind-entry.json (which
    names only that language) kept for ``merge_languages``."""
    target = _parts(output_dir, parts) / f"{lang}-entry.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(Path(output_dir) / BUNDLE_DIR / "pagefind-entry.json", target)


def index_language(
    output_dir: Path, lang: str, prefix: str, other_prefixes: set[str], parts: Path | None = None
) -> subprocess.CompletedProcess:
    """``language_command`` run here and its entry kept: what the build driver
    does for one language (for tools and tests)."""
    cmd, cwd = language_command(output_dir, lang, prefix, other_prefixes, parts)
    proc = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if proc.returncode == 0:
        keep_entry(output_dir, lang, parts)
    return proc


def merge_languages(output_dir: Path, langs: list[str], parts: Path | None = None) -> dict:
    """Once every language is indexed: one pagefind-entry.json listing them
    all, as one run would write it; unused files and the parts removed."""
    output_dir = Path(output_dir)
    parts = _parts(output_dir, parts)
    bundle = output_dir / BUNDLE_DIR
    languages: dict = {}
    first = None
    for lang in langs:
        path = parts / f"{lang}-entry.json"
        try:
            entry = json.loads(path.read_text("utf-8"))
            languages.update(entry["languages"])
        except (OSError, ValueError, KeyError, TypeError) as exc:
            free = shutil.disk_usage(output_dir).free
            raise SearchIndexError(
                f"{path}: Pagefind wrote no readable index for {lang} "
                f"({exc.__class__.__name__}: {exc}); {free // 1_000_000} MB free on that disk: "
                "free some space and build again"
            ) from None
        first = first or entry
    merged = {**first, "languages": dict(sorted(languages.items()))}
    bundle.mkdir(parents=True, exist_ok=True)
    (bundle / "pagefind-entry.json").write_text(
        json.dumps(merged, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
    )
    for name in UNUSED_BUNDLE_FILES:
        (bundle / name).unlink(missing_ok=True)
    shutil.rmtree(parts, ignore_errors=True)
    return {"languages": indexed_languages(output_dir)}


def language_failed(lang: str, status: int, output: str) -> SearchIndexError:
    return SearchIndexError(f"Pagefind could not index the {lang} pages (exit {status}):\n" + output.strip())


class _PerLanguage:
    """What the build driver needs to run this step one language at a time."""

    command = staticmethod(language_command)
    done = staticmethod(keep_entry)
    finish = staticmethod(merge_languages)
    failed = staticmethod(language_failed)


index_site.per_language = _PerLanguage
# The dev server's partial rebuild (sitekit/live.py) leaves the index as it
# was: the next full build makes it again.
index_site.waits_for_full_build = True


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
