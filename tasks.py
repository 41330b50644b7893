"""Tasks: ``invoke --list``. Start with ``python3 dev.py serve`` or
``python3 dev.py test``, which set up .venv first."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

from invoke import task

from sitekit import catalogs
from sitekit.build import BuildError, build_site, load_settings

ROOT = Path(__file__).resolve().parent

OUTPUT = ROOT / "output"
TRANSLATIONS = ROOT / "theme" / "translations"


def _logging():
    from pelican import log as pelican_log

    pelican_log.init(logging.WARNING)


def _report(result):
    print(
        f"Built {', '.join(result.languages)} into {result.output} in {result.seconds:.1f} s"
        + (f" with {len(result.warnings)} warning(s)" if result.warnings else "")
    )
    from sitekit.plugins.sitedata import sitedata

    review = sitedata.needs_translation_review(ROOT / "content")
    if review:
        print(
            "Waiting for a native speaker's review (Translation_review: needed): "
            + ", ".join(str(p.relative_to(ROOT / "content")) for p in review)
        )


def _build(settings_file, output=OUTPUT, overrides=None):
    _logging()
    try:
        result = build_site(settings_file, output, overrides)
    except BuildError as exc:
        sys.exit(str(exc))
    _report(result)
    return result


@task
def build(c):
    """Build the development site (all languages) into output/."""
    _build("pelicanconf.py")


@task(
    help={
        "siteurl": "absolute URL of the site, e.g. https://example.org/prevention",
        "output": "folder to write (default: output/)",
    }
)
def publish(c, siteurl=None, output=None):
    """Build the production site: absolute URLs (SITEURL from --siteurl, the
    SITEURL environment variable, or publishconf.py), search index, minified
    HTML and CSS, .gz and .br copies. See docs/deploy.md."""
    from sitekit.publish import PublishError, check_siteurl

    if siteurl:
        os.environ["SITEURL"] = siteurl
    url = os.environ.get("SITEURL") or load_settings("publishconf.py")["SITEURL"]
    try:
        check_siteurl(url)
    except PublishError as exc:
        sys.exit(str(exc))
    result = _build(
        "publishconf.py", Path(output) if output else OUTPUT, overrides={"SITEURL": url.rstrip("/")}
    )
    packed = list(result.output.rglob("*.br"))
    size = sum(p.stat().st_size for p in packed)
    print(
        f"Published for {url.rstrip('/')}/: {len(packed)} files precompressed "
        f"(.gz and .br; brotli total {size:,} bytes). Upload {result.output}/ as it is."
    )


@task
def clean(c):
    """Remove output/ and the build cache."""
    for path in (OUTPUT, ROOT / ".cache"):
        shutil.rmtree(path, ignore_errors=True)


@task(aliases=["livereload"])
def serve(c, port=8000, host="127.0.0.1"):
    """Build, serve on http://localhost:8000 and rebuild on every change,
    reloading open pages."""
    from sitekit import devserver

    overrides = {"LIVERELOAD": True}
    _build("pelicanconf.py", overrides=overrides)
    counter = devserver.BuildCounter()
    server = devserver.make_server(OUTPUT, host, int(port), counter)
    stop = threading.Event()
    watcher = threading.Thread(
        target=devserver.watch_and_rebuild,
        args=(
            [
                ROOT / "content",
                ROOT / "theme" / "templates",
                ROOT / "theme" / "static",
                TRANSLATIONS,
                ROOT / "plugins",
            ],
            lambda: _report(build_site("pelicanconf.py", OUTPUT, overrides)),
            counter,
            stop,
        ),
        daemon=True,
    )
    watcher.start()
    print(f"Serving on http://localhost:{port}/ (Ctrl+C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        server.server_close()


@task
def catalogs_update(c):
    """Extract theme strings into messages.pot and merge them into each
    language's messages.po (then translate the new entries)."""
    settings = load_settings()
    pot = TRANSLATIONS / "messages.pot"
    catalogs.extract(ROOT / "theme" / "templates", pot)
    others = [lang["code"] for lang in settings["LANGUAGES"]][1:]
    catalogs.update(pot, TRANSLATIONS, others)
    for lang in others:
        missing = catalogs.untranslated(TRANSLATIONS, lang)
        print(f"{lang}: {len(missing)} untranslated")


@task
def catalogs_compile(c):
    """Compile every messages.po into messages.mo (the build does this too)."""
    for mo in catalogs.compile_all(TRANSLATIONS):
        print(mo.relative_to(ROOT))


# Debian packages the tests need, by the command each provides: Chromium for
# the browser tests; zbar-tools (zbarimg) and poppler-utils (pdftoppm,
# pdfinfo) to count a printed PDF's pages and read a poster's QR code back.
TEST_TOOLS = {
    "chromium": "chromium",
    "zbarimg": "zbar-tools",
    "pdftoppm": "poppler-utils",
    "pdfinfo": "poppler-utils",
}


def ensure_test_tools():
    """Install the Debian packages of TEST_TOOLS that are missing."""
    missing = sorted({package for command, package in TEST_TOOLS.items() if not shutil.which(command)})
    if not missing:
        return
    if os.geteuid() != 0:
        sys.exit(
            f"The tests need {', '.join(missing)}: run `sudo apt-get install {' '.join(missing)}` "
            "(or run the tests as root and they install it)."
        )
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(["apt-get", "update", "-q"], check=True, env=env)
    subprocess.run(
        ["apt-get", "install", "-y", "-q", "--no-install-recommends", *missing], check=True, env=env
    )


@task(help={"args": "extra pytest arguments, e.g. -k build"})
def test(c, args=""):
    """Run the whole test suite."""
    ensure_test_tools()
    # Lint and format first: CI runs exactly this task.
    c.run(f"{sys.executable} -m ruff check .", pty=False)
    c.run(f"{sys.executable} -m ruff format --check .", pty=False)
    c.run(f"{sys.executable} -m pytest {args}", pty=False)


@task
def bench(c, only=""):
    """Measure speed and size (see sitekit/bench/); --only=NAME runs one part."""
    import importlib

    from sitekit.bench import PARTS

    _logging()
    for name in PARTS:
        if only and only not in name:
            continue
        print(f"== {name}")
        for line in importlib.import_module(name).run():
            print(line)


@task(
    help={
        "strict": "treat warnings as errors (exit non-zero on any)",
        "settings": "settings file (default pelicanconf.py)",
        "content": "content folder to check (default: the settings' PATH)",
    }
)
def check(c, strict=False, settings="pelicanconf.py", content=""):
    """Check all content without building: front matter, links, images, data
    files, schedules, translations and reviews. Prints file:line: field: message."""
    from sitekit.check import ERROR, check_site

    overrides = {"PATH": str(Path(content).resolve())} if content else None
    problems = check_site(load_settings(settings, overrides), repo=ROOT)
    errors = [p for p in problems if p.severity == ERROR]
    warnings = [p for p in problems if p.severity != ERROR]
    for problem in errors + warnings:
        print(problem.display(Path.cwd()))
    print(f"{len(errors)} error(s), {len(warnings)} warning(s)")
    if errors or (strict and warnings):
        sys.exit(1)


@task(
    help={
        "kind": "page, post or event",
        "slug": "the file name: lowercase, hyphens (e.g. legal-aid-osh)",
        "lang": "only this language (default: all)",
        "title": "the title (default: from the slug)",
    }
)
def new(c, kind, slug, lang="", title=""):
    """Create a page, post or event with the right front matter in every
    language's folder (or only --lang)."""
    from sitekit.scaffold import ScaffoldError, create

    settings = load_settings()
    langs = [lang] if lang else [item["code"] for item in settings["LANGUAGES"]]
    try:
        for path in create(Path(settings["PATH"]), kind, slug, langs, title=title):
            print(f"created {path.relative_to(ROOT)}")
    except ScaffoldError as exc:
        sys.exit(str(exc))


@task(help={"settings": "settings file (default pelicanconf.py)"})
def news(c, settings="pelicanconf.py"):
    """Fetch the news feeds of content/data/feeds.yml into the news cache
    (the only task that uses the network; a failing feed is a warning)."""
    from sitekit.core.errors import ContentError
    from sitekit.plugins.news.fetch import FetchOptions, fetch_feeds
    from sitekit.plugins.news.site import feeds_for, setting

    _logging()
    config = load_settings(settings)
    try:
        feeds = feeds_for(config)
    except ContentError as exc:
        sys.exit(str(exc))
    cache = Path(setting(config, "NEWS_CACHE_PATH"))
    results = fetch_feeds(feeds, cache, FetchOptions.from_settings(config))
    for result in results:
        if result.status != "failed":  # failures were logged as warnings
            print(result.line())
    failed = sum(r.status == "failed" for r in results)
    print(
        f"{len(results) - failed} of {len(results)} feed(s) fetched into {cache}"
        + (f"; {failed} kept their earlier items" if failed else "")
    )
