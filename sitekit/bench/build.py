"""Build benchmark (`invoke bench --only=build`).

A synthetic corpus, 1,000 articles per language in three languages, linked
as translations (the same file name in en/, ru/ and ky/; plain Pelican
reads language and slug from the path, PATH_METADATA), is generated
into a temporary folder and built, each build a whole process of its own,
timed from outside (interpreter start-up and imports included):

(a) plain Pelican: default theme, no plugins, one run over all languages;
(b) this site: pelicanconf.py (theme, plugins, one subsite per language,
    the language runs in parallel processes), cold (no content cache),
    search index included, as `invoke build` makes it;
(c) the dev server (`invoke serve`) on the same corpus: the time from
    saving one article to its rebuilt page being served, three edits
    in three languages;
(d) `invoke build` again after editing one article (content cache warm).

Peak memory is sampled from /proc while each build runs: the build
process and all its children (language runs, Pagefind) added up
(sitekit/bench/memory.py). Targets (issue 13): b/a <= 1.0 with the
search index; c/b <= 0.1; peak memory of (b) <= 280 MB.

(a) and (b) are built in turn three times (BENCH_PAIRS), each from clean,
and the ratio printed is the median of the three pairs': the machine is
shared, and one pair alone moved it by a tenth either way."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .corpus import ARTICLES, LANGS, ROOT, write_corpus

TARGET_RATIO = 1.0  # (b) / (a), search index included
TARGET_DEV_SHARE = 0.1  # (c) / (b)
TARGET_MEMORY_MB = 280  # (b), all its processes together
PAIRS = int(os.environ.get("BENCH_PAIRS", "3"))  # (a), (b) in turn; the median ratio

# --- the builds, each run in a child process ------------------------------------


# Plain Pelican links translations by language folder and file name, as
# this site does (it would otherwise need Lang/Slug fields, which this site's
# content rules refuse).
PLAIN_PATH_METADATA = r"(?P<lang>[^/]+)/(?:posts|pages)/(?P<slug>[^/]+)\.md"


def _plain(content: Path, output: Path, cache: Path) -> dict:
    from pelican import Pelican
    from pelican.settings import read_settings

    settings = read_settings(
        None,
        override={
            "PATH": str(content),
            "OUTPUT_PATH": str(output),
            "CACHE_PATH": str(cache),
            "PLUGINS": [],
            "SITEURL": "",
            "TIMEZONE": "Asia/Bishkek",
            "DEFAULT_LANG": "en",
            "ARTICLE_PATHS": [f"{lang}/posts" for lang in LANGS],
            "PAGE_PATHS": [f"{lang}/pages" for lang in LANGS],
            "STATIC_PATHS": [],
            "DELETE_OUTPUT_DIRECTORY": True,
            "PATH_METADATA": PLAIN_PATH_METADATA,
            # The home pages use this site's "home" template, which the default
            # theme does not have: 3 pages of 3,006 left out.
            "IGNORE_FILES": [".#*", "index.md"],
        },
    )
    started = time.perf_counter()
    Pelican(settings).run()
    return {"seconds": time.perf_counter() - started}


def _site(content: Path, output: Path, cache: Path) -> dict:
    from sitekit.build import build_site, wait_for_cleanup
    from sitekit.search import indexed_languages

    started = time.perf_counter()
    result = build_site(ROOT / "pelicanconf.py", output, {"PATH": str(content), "CACHE_PATH": str(cache)})
    seconds = time.perf_counter() - started
    # The site is live once swapped in; the replaced output is deleted in
    # the background, and the process waits for it before it ends.
    cleanup = time.perf_counter()
    wait_for_cleanup()
    return {
        "seconds": seconds,
        "warnings": len(result.warnings),
        "timings": result.timings,
        "cleanup_seconds": time.perf_counter() - cleanup,
        "search_pages": sum(indexed_languages(result.output).values()),
    }


def child_main(argv: list[str]) -> None:
    """Entry point of one measured build: prints one JSON line."""
    import logging
    import resource

    from pelican import log as pelican_log

    pelican_log.init(logging.ERROR)
    kind, content, output, cache = argv[0], Path(argv[1]), Path(argv[2]), Path(argv[3])
    figures = _plain(content, output, cache) if kind == "plain" else _site(content, output, cache)
    figures["maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("BENCH " + json.dumps(figures), flush=True)


def measure(kind: str, content: Path, output: Path, cache: Path) -> dict:
    """One build in a process of its own: its figures, plus ``wall`` (the
    whole process, timed from here) and the peak memory of it and its
    children together (``tree_rss_mb``, ``tree_pss_mb``, ``processes``)."""
    from .memory import TreeSampler

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    before = usage.ru_utime + usage.ru_stime
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "sitekit.bench.build", kind, str(content), str(output), str(cache)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    with TreeSampler(proc.pid) as peak:
        stdout, stderr = proc.communicate(timeout=900)
    wall = time.perf_counter() - started
    lines = [line for line in stdout.splitlines() if line.startswith("BENCH ")]
    if proc.returncode != 0 or not lines:
        raise RuntimeError(f"{kind} build failed:\n{stdout[-3000:]}\n{stderr[-3000:]}")
    figures = json.loads(lines[-1][len("BENCH ") :])
    figures.update(wall=wall, tree_rss_mb=peak.rss_mb, tree_pss_mb=peak.pss_mb, processes=peak.processes)
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)  # every process waited for so far
    figures["cpu"] = usage.ru_utime + usage.ru_stime - before
    return figures


def dev_edits(content: Path, tmp: Path, langs=("ru", "en", "ky")) -> tuple[list[float], list[str], float]:
    """(c): the dev server on ``content``; one article edited in each
    language; seconds from each save to the page served with the edit."""
    from .devloop import DevServer

    server = DevServer(content, tmp / "out-dev", tmp / "cache-dev")
    try:
        seconds = []
        for number, lang in enumerate(langs, start=1):
            posts = sorted((content / lang / "posts").glob("*.md"))
            edited = posts[(len(posts) * number) // (len(langs) + 1)]
            prefix = "" if lang == LANGS[0] else f"/{lang}"
            url = f"{prefix}/posts/{edited.stem}/"
            seconds.append(server.edit(edited, f"Edited in the dev server {number}.", url))
            time.sleep(0.5)  # let the rebuild's log line come
        return seconds, server.rebuild_lines(), server.startup_seconds
    finally:
        server.stop()


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f}, {five:.2f}, {fifteen:.2f}"


def _ok(good: bool) -> str:
    return "OK" if good else "OVER TARGET"


def run(articles: int = ARTICLES) -> list[str]:
    load_before = _load()
    with tempfile.TemporaryDirectory(prefix="bench-build-") as tmp:
        tmp = Path(tmp)
        started = time.perf_counter()
        content = write_corpus(tmp, articles)
        corpus_s = time.perf_counter() - started
        # (a) and (b) in turn, PAIRS times, each from clean (new folders: the
        # file system is slower to create files for a few seconds after many
        # were deleted, and a build is not run just after one): the machine
        # is shared, and one pair alone moved the ratio by 0.1 either way.
        pairs = []
        for number in range(PAIRS):
            a = measure("plain", content, tmp / f"out-a{number}", tmp / f"cache-a{number}")
            b = measure("site", content, tmp / "out-b", tmp / "cache-b")
            pairs.append((a, b))
            if number + 1 < PAIRS:  # the last (b) stays for (d)
                os.rename(tmp / "out-b", tmp / f"out-b{number}")
                os.rename(tmp / "cache-b", tmp / f"cache-b{number}")
        pairs.sort(key=lambda pair: pair[1]["wall"] / pair[0]["wall"])
        ratios = [b["wall"] / a["wall"] for a, b in pairs]
        a, b = pairs[len(pairs) // 2]  # the median pair
        peak_rss = max(b["tree_rss_mb"] for _a, b in pairs)
        pages = sum(1 for _ in (tmp / "out-b").rglob("*.html"))
        dev, dev_lines, dev_start = dev_edits(content, tmp)
        # (d): one article edited, then `invoke build` again with the cache of (b).
        edited = content / "ru" / "posts" / "post-0500.md"
        if not edited.exists():
            edited = next((content / "ru" / "posts").glob("*.md"))
        edited.write_text(edited.read_text(encoding="utf-8") + "\nИзменено.\n", encoding="utf-8")
        future = time.time() + 5
        os.utime(edited, (future, future))
        warm = measure("site", content, tmp / "out-b", tmp / "cache-b")
        page = tmp / "out-b" / "ru" / "posts" / edited.stem / "index.html"
        assert "Изменено." in page.read_text(encoding="utf-8"), "warm rebuild missed the edit"
        total = time.perf_counter() - started
    t = b["timings"]
    ratio = ratios[len(ratios) // 2]
    dev_median = sorted(dev)[len(dev) // 2]
    dev_share = dev_median / b["wall"]
    runs = ", ".join(f"{key[4:]} {value:.1f} s" for key, value in t.items() if key.startswith("run "))
    indexed = {key.rsplit(" ", 1)[1]: value for key, value in t.items() if key.startswith("step index_site ")}
    search = (
        ", ".join(f"{lang} {value:.1f} s" for lang, value in indexed.items())
        + f", each after its language's run; put together {t.get('step index_site', 0):.1f} s"
        if indexed
        else f"one run after all languages {t.get('step index_site', 0):.1f} s"
    )
    memory_ok = peak_rss <= TARGET_MEMORY_MB
    return [
        f"machine: {os.cpu_count()} cores; load average {load_before} before, {_load()} after "
        "(1, 5, 15 min; the machine is shared)",
        f"corpus: {articles:,} articles x {len(LANGS)} languages, linked as translations "
        f"(written in {corpus_s:.1f} s); site output {pages:,} HTML pages",
        f"(a) plain Pelican, default theme, no plugins: {a['wall']:.1f} s whole process "
        f"(its run {a['seconds']:.1f} s; CPU {a['cpu']:.1f} s), peak memory {a['tree_rss_mb']:.0f} MB",
        f"(b) this site, full build, search included:  {b['wall']:.1f} s whole process "
        f"(build {b['seconds']:.1f} s; CPU of all its processes {b['cpu']:.1f} s), {b['warnings']} warnings",
        f"    whole-site work {t.get('prepare', 0):.1f} s; language runs and search index "
        f"{t.get('languages', 0):.1f} s ({runs}); sitemap {t.get('sitemap', 0):.1f} s",
        f"    search index (Pagefind, {b['search_pages']:,} pages): {search}",
        f"    peak memory, all {b['processes']} processes together: {peak_rss:.0f} MB RSS, the most of "
        f"{PAIRS} builds (shared pages counted in each process), {b['tree_pss_mb']:.0f} MB PSS "
        f"(shared pages divided); target <= {TARGET_MEMORY_MB} MB RSS {_ok(memory_ok)}",
        f"    ratio b/a (search included): {ratio:.2f}, the median of {PAIRS} pairs built in turn "
        f"({', '.join(f'{r:.2f}' for r in ratios)}; the figures above are that pair's) "
        f"(target <= {TARGET_RATIO}) {_ok(ratio <= TARGET_RATIO)}",
        "(c) dev server, one article saved -> its page served: "
        + ", ".join(f"{s:.2f} s" for s in dev)
        + f"; median {dev_median:.2f} s = {dev_share:.3f} of the full build (b) "
        f"(target <= {TARGET_DEV_SHARE}) {_ok(dev_share <= TARGET_DEV_SHARE)}",
        f"    (its first full build and start: {dev_start:.1f} s; "
        + " | ".join(line.split(" ", 1)[-1] for line in dev_lines[:3])
        + ")",
        f"(d) `invoke build` again after editing one article: {warm['wall']:.1f} s whole process "
        f"= {warm['wall'] / b['wall']:.0%} of (b); peak memory {warm['tree_rss_mb']:.0f} MB RSS",
        f"whole benchmark: {total:.0f} s",
    ]


if __name__ == "__main__":
    child_main(sys.argv[1:])
