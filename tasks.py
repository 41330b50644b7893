"""Tasks: ``invoke --list``. Start with ``python3 dev.py serve`` or
``python3 dev.py test``, which set up .venv first."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from invoke import task

from sitekit import catalogs, logs
from sitekit.build import BuildError, abandon, build_site, load_settings
from sitekit.core.site import SiteSettings
from sitekit.readiness import find_samples, readiness_report

ROOT = Path(__file__).resolve().parent

OUTPUT = ROOT / "output"
TRANSLATIONS = ROOT / "theme" / "translations"


def _build(settings_file, output=OUTPUT, overrides=None):
    logs.setup()
    try:
        result = build_site(ROOT / settings_file, output, overrides)
    except BuildError as exc:
        sys.exit(str(exc))
    except KeyboardInterrupt:
        abandon(Path(output))  # no staging folder left behind
        sys.exit("Interrupted; output/ left as it was.")
    print(
        f"Built {', '.join(result.languages)} into {result.output} in {result.seconds:.1f} s"
        + (f" with {len(result.warnings)} warning(s)" if result.warnings else "")
    )
    return result


@task
def build(c):
    """Build the development site (all languages) into output/."""
    _build("pelicanconf.py")
    if notice := logs.review_notice(ROOT / "content"):
        print(notice)


@task(
    help={
        "siteurl": "absolute URL of the site, e.g. https://example.org/prevention",
        "output": "folder to write (default: output/)",
        "allow_samples": "publish even with example content (for a demonstration site)",
        "content": "content folder (default: the settings' PATH)",
    }
)
def publish(c, siteurl=None, output=None, allow_samples=False, content=""):
    """Build the production site into output/ (see docs/deploy.md).

    Refuses example content unless --allow-samples. Absolute URLs (SITEURL
    from --siteurl, the SITEURL environment variable, or publishconf.py),
    search index, minified HTML and CSS, .gz and .br copies."""
    from sitekit.publish import PublishError, check_siteurl

    if siteurl:
        os.environ["SITEURL"] = siteurl
    url = os.environ.get("SITEURL") or load_settings(ROOT / "publishconf.py")["SITEURL"]
    try:
        check_siteurl(url)
    except PublishError as exc:
        sys.exit(str(exc))
    overrides = {"SITEURL": url.rstrip("/")}
    if content:
        overrides["PATH"] = str(Path(content).resolve())
    settings = load_settings(ROOT / "publishconf.py", overrides)
    for line in readiness_report(settings):
        print(line)
    samples = find_samples(settings)
    if samples and not allow_samples:
        for sample in samples:
            print(sample)
        sys.exit(
            f"Not published: {len(samples)} example(s) above would be shown to the public as real. "
            "Replace or delete them (docs/content.md, docs/organisers.md), or publish a "
            "demonstration site with --allow-samples (they are marked 'Example' on every page)."
        )
    result = _build("publishconf.py", Path(output) if output else OUTPUT, overrides=overrides)
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


@task(aliases=["livereload"], help={"port": "port on 127.0.0.1 (default 8000; 0: any free port)"})
def serve(c, port=8000):
    """Build, serve on http://localhost:8000, rebuild once per change and reload open pages.

    Watches content/ and theme/ and logs one line per rebuild. Ctrl+C (or
    SIGTERM) stops it at any moment and leaves output/ as the last good site.
    Changes to pelicanconf.py or to the kit's Python code need a restart."""
    from sitekit import devserver

    once = logs.setup(info=("sitekit.devserver",), clock=True)
    devserver.serve(
        ROOT / "pelicanconf.py",
        OUTPUT,
        int(port),
        warnings_once=once,
        notice=lambda: logs.review_notice(ROOT / "content"),
    )


@task
def catalogs_update(c):
    """Collect new theme strings into each language's messages.po.

    Extracts them from the templates into messages.pot and merges that into
    every messages.po, keeping the translations; then translate the new
    entries."""
    settings = load_settings(ROOT / "pelicanconf.py")
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
    written = catalogs.compile_all(TRANSLATIONS)
    for mo in written:
        print(mo.relative_to(ROOT))
    if not written:
        print("Compiled catalogs are up to date.")


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
    """Measure build speed, page weight, feed fetching and edit-to-preview time.

    One module of sitekit/bench/ per part; --only=NAME runs one part."""
    import importlib

    from sitekit.bench import PARTS

    logs.setup()
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
    """Check all content without building; prints file:line: field: message.

    Front matter, links, images, data files, schedules, translations and
    reviews (pages waiting for a native speaker's review among them)."""
    from sitekit.check import ERROR, check_site

    overrides = {"PATH": str(Path(content).resolve())} if content else None
    problems = check_site(load_settings(ROOT / settings, overrides), repo=ROOT)
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
    """Create a page, post or event with the right front matter in every language.

    One file in each language's folder, or in --lang's only."""
    from sitekit.scaffold import ScaffoldError, create

    site = SiteSettings.from_pelican(load_settings(ROOT / "pelicanconf.py"))
    langs = [lang] if lang else list(site.codes)
    try:
        for path in create(
            site.content, kind, slug, langs, main_lang=site.main_lang, timezone=site.timezone, title=title
        ):
            print(f"created {path.relative_to(ROOT)}")
    except ScaffoldError as exc:
        sys.exit(str(exc))


@task(help={"settings": "settings file (default pelicanconf.py)"})
def news(c, settings="pelicanconf.py"):
    """Fetch the news feeds of content/data/feeds.yml into the news cache.

    The only task that uses the network; a failing feed is a warning."""
    from sitekit.core.errors import ContentError
    from sitekit.plugins.news.fetch import fetch_feeds
    from sitekit.plugins.news.settings import news_settings
    from sitekit.plugins.news.site import feeds_for

    logs.setup()
    config = load_settings(ROOT / settings)
    try:
        feeds = feeds_for(config)
    except ContentError as exc:
        sys.exit(str(exc))
    cache = news_settings(config).cache_path
    results = fetch_feeds(feeds, cache, news_settings(config).fetch)
    for result in results:
        if result.status != "failed":  # failures were logged as warnings
            print(result.line())
    failed = sum(r.status == "failed" for r in results)
    print(
        f"{len(results) - failed} of {len(results)} feed(s) fetched into {cache}"
        + (f"; {failed} kept their earlier items" if failed else "")
    )
