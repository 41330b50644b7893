"""Editors' tools: scaffolding, the translation status page, live reload."""

from __future__ import annotations

import http.client
import shutil
import threading
import time

import pytest
from conftest import FIXTURE_CONTENT, build
from helpers import parse

from sitekit import devserver, scaffold
from sitekit.build import build_site, load_settings
from sitekit.check import ERROR, check_site
from sitekit.core.site import SiteSettings

# The bundled site's main language and time zone, for new files.
_site = SiteSettings.from_pelican(load_settings())
SITE = {"main_lang": _site.main_lang, "timezone": _site.timezone}


def test_new_page_in_every_language_builds_and_checks_clean(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    paths = scaffold.create(
        content, "page", "legal-aid-osh", ["en", "ru", "ky"], **SITE, title="Legal aid in Osh"
    )
    assert [p.relative_to(content).as_posix() for p in paths] == [
        "en/pages/legal-aid-osh.md",
        "ru/pages/legal-aid-osh.md",
        "ky/pages/legal-aid-osh.md",
    ]
    assert "Translation_review: needed" in paths[2].read_text(encoding="utf-8")
    assert "Текстти бул жерге жазыңыз." in paths[2].read_text(encoding="utf-8")
    scaffold.create(content, "post", "osh-opening", ["ru"], **SITE)
    result = build(tmp_path, PATH=str(content))
    for prefix in ("", "ru/", "ky/"):
        assert (result.output / prefix / "legal-aid-osh" / "index.html").is_file()
    assert (result.output / "ru" / "posts" / "osh-opening" / "index.html").is_file()
    errors = [
        p for p in check_site(load_settings("pelicanconf.py", {"PATH": str(content)})) if p.severity == ERROR
    ]
    assert errors == []


def test_new_refuses_bad_slug_and_existing_files(tmp_path):
    with pytest.raises(scaffold.ScaffoldError, match="slug: 'Legal Aid'"):
        scaffold.create(tmp_path, "page", "Legal Aid", ["en"], **SITE)
    scaffold.create(tmp_path, "page", "x", ["en"], **SITE)
    with pytest.raises(scaffold.ScaffoldError, match="already exists"):
        scaffold.create(tmp_path, "page", "x", ["en", "ru"], **SITE)
    assert not (tmp_path / "ru" / "pages" / "x.md").exists()


def test_translation_status_page_in_dev_build_only(fixture_site, tmp_path):
    page = fixture_site.output / "ru" / "status" / "translations" / "index.html"
    text = page.read_text(encoding="utf-8")
    assert parse(page).lang == "ru"
    assert "pages/only-english.md" in text
    row = text.split("pages/only-english.md", 1)[1].split("</tr>", 1)[0]
    assert row.count('class="state-missing"') == 2 and 'class="state-source"' in row
    published = build(tmp_path, "publishconf.py", PATH=str(FIXTURE_CONTENT))
    assert not list(published.output.rglob("status"))


def test_live_reload_rebuilds_and_signals_open_pages(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    output = tmp_path / "output"
    overrides = {"PATH": str(content), "CACHE_PATH": str(tmp_path / "cache"), "LIVERELOAD": True}
    build_site("pelicanconf.py", output, overrides)
    counter = devserver.BuildCounter()
    server = devserver.make_server(output, "127.0.0.1", 0, counter)
    stop = threading.Event()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    threading.Thread(
        target=devserver.watch_and_rebuild,
        daemon=True,
        args=([content], lambda: build_site("pelicanconf.py", output, overrides), counter, stop),
    ).start()
    port = server.server_address[1]
    try:
        assert '<script src="/__livereload.js" defer>' in (output / "index.html").read_text(encoding="utf-8")
        stream = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        stream.request("GET", "/__livereload")
        response = stream.getresponse()
        assert response.getheader("Content-Type") == "text/event-stream"
        # The watcher starts in its own thread: edit until it has rebuilt
        # once (an edit made before it watches would go unnoticed).
        page = content / "ru" / "pages" / "rights.md"
        deadline = time.monotonic() + 60
        while counter.value == 0 and time.monotonic() < deadline:
            page.write_text(
                page.read_text(encoding="utf-8") + "\nНовая строка после правки.\n", encoding="utf-8"
            )
            counter.wait_past(0, timeout=3)
        assert counter.value > 0, "no rebuild after editing a page"
        line = response.fp.readline()
        while line.startswith(b":") or line == b"\n":
            line = response.fp.readline()
        assert line == b"data: reload\n"
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", "/ru/rights/")
        assert "Новая строка после правки." in conn.getresponse().read().decode()
    finally:
        stop.set()
        server.shutdown()
        server.server_close()


def test_live_reload_script_only_when_serving(site):
    assert "__livereload" not in (site.output / "index.html").read_text(encoding="utf-8")


def test_new_event_in_every_language_validates_and_builds(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    scaffold.create(content, "event", "osh-consultation", ["en", "ru", "ky"], **SITE)
    errors = [
        p for p in check_site(load_settings("pelicanconf.py", {"PATH": str(content)})) if p.severity == ERROR
    ]
    assert errors == []
    result = build(tmp_path, PATH=str(content))
    for prefix in ("", "ru/", "ky/"):
        assert (result.output / prefix / "events" / "osh-consultation" / "index.html").is_file()
