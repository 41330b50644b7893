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

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

from sitekit import catalogs  # noqa: E402
from sitekit.build import BuildError, build_site, load_settings  # noqa: E402

OUTPUT = ROOT / "output"
TRANSLATIONS = ROOT / "theme" / "translations"


def _logging():
    from pelican import log as pelican_log

    pelican_log.init(logging.WARNING)


def _report(result):
    print(f"Built {', '.join(result.languages)} into {result.output} in {result.seconds:.1f} s"
          + (f" with {len(result.warnings)} warning(s)" if result.warnings else ""))


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


@task(help={"siteurl": "absolute URL of the site, e.g. https://example.org/prevention",
            "output": "folder to write (default: output/)"})
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
    result = _build("publishconf.py", Path(output) if output else OUTPUT,
                    overrides={"SITEURL": url.rstrip("/")})
    packed = list(result.output.rglob("*.br"))
    size = sum(p.stat().st_size for p in packed)
    print(f"Published for {url.rstrip('/')}/: {len(packed)} files precompressed "
          f"(.gz and .br; brotli total {size:,} bytes). Upload {result.output}/ as it is.")


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
        args=([ROOT / "content", ROOT / "theme" / "templates", ROOT / "theme" / "static",
               TRANSLATIONS, ROOT / "plugins"],
              lambda: _report(build_site("pelicanconf.py", OUTPUT, overrides)),
              counter, stop),
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


def ensure_chromium():
    """Browser tests need Debian's chromium; install it when missing."""
    if shutil.which("chromium"):
        return
    if os.geteuid() != 0:
        sys.exit("The browser tests need Chromium: run `sudo apt-get install chromium` "
                 "(or run the tests as root and they install it).")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(["apt-get", "update", "-q"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-q", "--no-install-recommends", "chromium"],
                   check=True, env=env)


@task(help={"args": "extra pytest arguments, e.g. -k build"})
def test(c, args=""):
    """Run the whole test suite."""
    ensure_chromium()
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
