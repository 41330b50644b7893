"""Build benchmark (`invoke bench --only=build`).

A synthetic corpus, 1,000 articles per language in three languages, linked
as translations (the same file name in en/, ru/ and ky/; plain Pelican
reads language and slug from the path, PATH_METADATA), is generated
into a temporary folder and built, each build in its own subprocess:

(a) plain Pelican: default theme, no plugins, one run over all languages;
(b) this site: pelicanconf.py (theme, plugins, one subsite per language),
    cold (empty content cache), the search index timed on its own;
(c) (b) again, warm, after editing one article.

Peak memory is each subprocess's own ru_maxrss (Pagefind's binary counted
apart). Targets: b/a <= 1.3; warm one-file rebuild < half the full build."""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LANGS = ["en", "ru", "ky"]
ARTICLES = int(os.environ.get("BENCH_ARTICLES", "1000"))
TARGET_RATIO = 1.3

WORDS = {
    "en": [
        "torture",
        "prevention",
        "detention",
        "rights",
        "lawyer",
        "complaint",
        "monitor",
        "visit",
        "prison",
        "police",
        "ombudsperson",
        "report",
        "court",
        "doctor",
        "family",
        "hotline",
        "region",
        "Bishkek",
        "Osh",
        "Naryn",
        "law",
        "inspection",
        "treaty",
        "committee",
        "evidence",
        "safety",
        "dignity",
        "help",
        "the",
        "of",
        "and",
        "to",
        "in",
        "for",
        "with",
        "a",
        "is",
        "are",
        "was",
        "on",
        "by",
        "every",
        "person",
        "must",
    ],
    "ru": [
        "пытки",
        "предупреждение",
        "задержание",
        "права",
        "адвокат",
        "жалоба",
        "наблюдение",
        "посещение",
        "тюрьма",
        "милиция",
        "омбудсмен",
        "доклад",
        "суд",
        "врач",
        "семья",
        "горячая",
        "линия",
        "регион",
        "Бишкек",
        "Ош",
        "Нарын",
        "закон",
        "проверка",
        "договор",
        "комитет",
        "доказательства",
        "безопасность",
        "достоинство",
        "помощь",
        "и",
        "в",
        "на",
        "с",
        "по",
        "для",
        "каждый",
        "человек",
        "должен",
        "был",
    ],
    "ky": [
        "кыйноо",
        "алдын",
        "алуу",
        "кармоо",
        "укуктар",
        "адвокат",
        "арыз",
        "байкоо",
        "баруу",
        "түрмө",
        "милиция",
        "Акыйкатчы",
        "баяндама",
        "сот",
        "дарыгер",
        "үй-бүлө",
        "ишеним",
        "телефону",
        "аймак",
        "Бишкек",
        "Ош",
        "Нарын",
        "мыйзам",
        "текшерүү",
        "келишим",
        "комитет",
        "далил",
        "коопсуздук",
        "кадыр-барк",
        "жардам",
        "жана",
        "менен",
        "үчүн",
        "ар",
        "бир",
        "адам",
        "керек",
        "болгон",
    ],
}


def _sentence(rng: random.Random, words: list[str]) -> str:
    s = " ".join(rng.choice(words) for _ in range(rng.randint(8, 18)))
    return s[0].upper() + s[1:] + "."


def write_corpus(root: Path, articles: int = ARTICLES, seed: int = 1) -> Path:
    """Write content/<lang>/{pages,posts} into ``root``; returns the content path.
    The site's own data files (content/ except the language folders) are
    copied too, so the full configuration finds what its plugins read."""
    content = root / "content"
    src = ROOT / "content"
    for item in src.iterdir():
        if item.name in LANGS:
            continue
        if item.is_dir():
            shutil.copytree(item, content / item.name)
        else:
            content.mkdir(parents=True, exist_ok=True)
            shutil.copy2(item, content / item.name)
    start = datetime(2020, 1, 1, 9, 0)
    for lang in LANGS:
        rng = random.Random(f"{seed}-{lang}")
        words = WORDS[lang]
        posts = content / lang / "posts"
        pages = content / lang / "pages"
        posts.mkdir(parents=True, exist_ok=True)
        pages.mkdir(parents=True, exist_ok=True)
        (pages / "index.md").write_text(
            f"Title: {' '.join(words[:3])}\nTemplate: home\n\n" + _sentence(rng, words) + "\n",
            encoding="utf-8",
        )
        (pages / "about.md").write_text(
            f"Title: {' '.join(words[3:5])}\nMenu_order: 90\n\n"
            + "\n\n".join(_sentence(rng, words) for _ in range(5))
            + "\n",
            encoding="utf-8",
        )
        for i in range(1, articles + 1):
            name = f"post-{i:04d}"
            date = start + timedelta(hours=13 * i)
            other = f"post-{(i % articles) + 1:04d}.md"
            paragraphs = []
            for _ in range(4):
                paragraphs.append(" ".join(_sentence(rng, words) for _ in range(rng.randint(3, 6))))
            body = (
                f"{paragraphs[0]}\n\n## {_sentence(rng, words)[:-1]}\n\n{paragraphs[1]}\n\n"
                + "".join(f"- {_sentence(rng, words)}\n" for _ in range(3))
                + f"\n{paragraphs[2]} [{words[0]}]({{filename}}{other})\n\n"
                + f"> {_sentence(rng, words)}\n\n{paragraphs[3]}\n"
            )
            (posts / f"{name}.md").write_text(
                f"Title: {_sentence(rng, words)[:-1]} {i}\nDate: {date:%Y-%m-%d %H:%M}\n"
                f"Tags: {rng.choice(words)}, {rng.choice(words)}\n"
                f"Summary: {_sentence(rng, words)}\n\n{body}",
                encoding="utf-8",
            )
    return content


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


def _site(content: Path, output: Path, cache: Path, search: bool) -> dict:
    from sitekit import search as site_search
    from sitekit.build import build_site

    started = time.perf_counter()
    result = build_site(
        ROOT / "pelicanconf.py",
        output,
        {
            "PATH": str(content),
            "CACHE_PATH": str(cache),
            "POST_BUILD_STEPS": [],
        },
    )
    seconds = time.perf_counter() - started
    # The site is live once swapped in; the replaced output is deleted in
    # the background. Timed here too, so nothing is left out of the figures.
    from sitekit.build import wait_for_cleanup

    cleanup = time.perf_counter()
    wait_for_cleanup()
    figures = {
        "seconds": seconds,
        "warnings": len(result.warnings),
        "cleanup_seconds": time.perf_counter() - cleanup,
    }
    if search:
        # The index, timed on its own (it is a post-build step in a real build).
        indexed = site_search.index_site(result.output, {})
        figures["search_seconds"] = indexed["seconds"]
        figures["search_pages"] = sum(indexed["languages"].values())
    return figures


def child_main(argv: list[str]) -> None:
    """Entry point of one measured build: prints one JSON line."""
    import logging
    import resource

    from pelican import log as pelican_log

    pelican_log.init(logging.ERROR)
    kind, content, output, cache = argv[0], Path(argv[1]), Path(argv[2]), Path(argv[3])
    if kind == "plain":
        figures = _plain(content, output, cache)
    else:
        figures = _site(content, output, cache, search=(kind == "site-search"))
    figures["maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figures["children_maxrss_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print("BENCH " + json.dumps(figures), flush=True)


def measure(kind: str, content: Path, output: Path, cache: Path) -> dict:
    proc = subprocess.run(
        [sys.executable, "-m", "sitekit.bench.build", kind, str(content), str(output), str(cache)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    lines = [line for line in proc.stdout.splitlines() if line.startswith("BENCH ")]
    if proc.returncode != 0 or not lines:
        raise RuntimeError(f"{kind} build failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return json.loads(lines[-1][len("BENCH ") :])


def run(articles: int = ARTICLES) -> list[str]:
    with tempfile.TemporaryDirectory(prefix="bench-build-") as tmp:
        tmp = Path(tmp)
        started = time.perf_counter()
        content = write_corpus(tmp, articles)
        corpus_s = time.perf_counter() - started
        a = measure("plain", content, tmp / "out-a", tmp / "cache-a")
        b = measure("site-search", content, tmp / "out-b", tmp / "cache-b")
        # Edit one article (its text and its mtime), then rebuild with the cache.
        edited = content / "ru" / "posts" / "post-0500.md"
        if not edited.exists():
            edited = next((content / "ru" / "posts").glob("*.md"))
        edited.write_text(edited.read_text(encoding="utf-8") + "\nИзменено.\n", encoding="utf-8")
        future = time.time() + 5
        os.utime(edited, (future, future))
        warm = measure("site-search", content, tmp / "out-b", tmp / "cache-b")
        page = tmp / "out-b" / "ru" / "posts" / edited.stem / "index.html"
        assert "Изменено." in page.read_text(encoding="utf-8"), "warm rebuild missed the edit"
        pages = sum(1 for _ in (tmp / "out-b").rglob("*.html"))
        total = time.perf_counter() - started
    ratio = b["seconds"] / a["seconds"]
    warm_share = warm["seconds"] / b["seconds"]
    warm_all = (warm["seconds"] + warm["search_seconds"]) / (b["seconds"] + b["search_seconds"])
    return [
        f"corpus: {articles:,} articles x {len(LANGS)} languages, linked as translations "
        f"(written in {corpus_s:.1f} s); site output {pages:,} HTML pages",
        f"(a) plain Pelican, default theme, no plugins: {a['seconds']:.1f} s, "
        f"peak memory {a['maxrss_mb']:.0f} MB",
        f"(b) this site, full configuration, cold:      {b['seconds']:.1f} s, "
        f"peak memory {b['maxrss_mb']:.0f} MB, {b['warnings']} warnings",
        f"    search index (Pagefind, {b['search_pages']:,} pages): {b['search_seconds']:.1f} s, "
        f"peak memory {b['children_maxrss_mb']:.0f} MB",
        f"    ratio b/a: {ratio:.2f} (target <= {TARGET_RATIO}) "
        + ("OK" if ratio <= TARGET_RATIO else "OVER TARGET"),
        f"(c) warm rebuild after editing one file:     {warm['seconds']:.1f} s = "
        f"{warm_share:.0%} of the full build (target < 50%) "
        + ("OK" if warm_share < 0.5 else "OVER TARGET")
        + f", peak memory {warm['maxrss_mb']:.0f} MB",
        f"    then the replaced output deleted in the background: {warm['cleanup_seconds']:.1f} s",
        f"    with the search index rebuilt too ({warm['search_seconds']:.1f} s): "
        f"{warm['seconds'] + warm['search_seconds']:.1f} s = {warm_all:.0%} of the full build "
        f"with search ({b['seconds'] + b['search_seconds']:.1f} s)",
        f"whole benchmark: {total:.0f} s",
    ]


if __name__ == "__main__":
    child_main(sys.argv[1:])
