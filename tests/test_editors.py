"""Editors' tools: scaffolding, the translation status page, live reload
(the dev server itself: test_devserver.py)."""

from __future__ import annotations

import shutil

import pytest
from conftest import FIXTURE_CONTENT, build
from helpers import parse

from sitekit import scaffold
from sitekit.build import load_settings
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
