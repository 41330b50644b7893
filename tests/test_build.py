"""Build tests: run the real multilingual build and assert on the files it wrote."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import FIXTURE_CONTENT, build
from helpers import html_files, parse, url_to_file

from sitekit.build import BuildError

LANGS = ["en", "ru", "ky"]
PREFIX = {"en": "", "ru": "ru/", "ky": "ky/"}


def lang_of(output: Path, path: Path) -> str:
    first = path.relative_to(output).parts[0]
    return first if first in ("ru", "ky") else "en"


def test_bundled_site_builds_every_language_without_warnings(site):
    assert site.warnings == []
    for lang in LANGS:
        root = site.output / PREFIX[lang]
        for rel in ("index.html", "404.html", "posts/index.html", "about/index.html", "feeds/all.atom.xml"):
            assert (root / rel).is_file(), f"{lang}: {rel} missing"


@pytest.mark.parametrize("which", ["site", "fixture_site"])
def test_html_lang_matches_folder_on_every_page(which, request):
    output = request.getfixturevalue(which).output
    pages = html_files(output)
    assert len(pages) > 10
    for path in pages:
        assert parse(path).lang == lang_of(output, path), path


@pytest.mark.parametrize("which", ["site", "fixture_site"])
def test_hreflang_sets_are_complete_and_reciprocal(which, request):
    output = request.getfixturevalue(which).output
    for path in html_files(output):
        page = parse(path)
        lang = lang_of(output, path)
        alts = page.alternates
        assert "x-default" in alts, path
        assert lang in alts, f"{path}: no hreflang for itself"
        assert url_to_file(output, alts[lang]) == path, path
        for other, url in alts.items():
            target = url_to_file(output, url)
            assert target.is_file(), f"{path}: hreflang {other} -> {url} does not exist"
            if other == "x-default":
                continue
            back = parse(target).alternates
            assert {k: v for k, v in back.items()} == alts, f"{path} and {target} list different alternates"


def test_untranslated_page_has_no_hreflang_for_missing_languages(fixture_site):
    page = parse(fixture_site.output / "only-english" / "index.html")
    assert set(page.alternates) == {"en", "x-default"}
    ru_only = parse(fixture_site.output / "ru" / "only-russian" / "index.html")
    assert set(ru_only.alternates) == {"ru", "x-default"}
    # With no English version, x-default is the page itself.
    assert ru_only.alternates["x-default"] == "/ru/only-russian/"


@pytest.mark.parametrize("which", ["site", "fixture_site"])
def test_every_switcher_link_resolves_to_a_file(which, request):
    output = request.getfixturevalue(which).output
    for path in html_files(output):
        switcher = parse(path).switcher
        assert [item["lang"] for item in switcher] == LANGS, path
        for item in switcher:
            if "href" in item:
                assert url_to_file(output, item["href"]).is_file(), (path, item["href"])


def test_switcher_sends_untranslated_pages_to_home_with_notice(fixture_site):
    out = fixture_site.output
    links = {i["lang"]: i.get("href") for i in parse(out / "only-english" / "index.html").switcher}
    assert links == {"en": None, "ru": "/ru/#not-translated", "ky": "/ky/#not-translated"}
    for lang in ("ru", "ky"):
        home = parse(out / lang / "index.html")
        assert "not-translated" in home.ids
    ru_text = parse(out / "ru" / "index.html").text
    assert "ещё не переведена" in ru_text


def test_translated_page_switcher_goes_to_same_page(fixture_site):
    links = {
        i["lang"]: i.get("href") for i in parse(fixture_site.output / "ky" / "rights" / "index.html").switcher
    }
    assert links == {"en": "/rights/", "ru": "/ru/rights/", "ky": None}


def test_dates_are_in_the_page_language(fixture_site):
    out = fixture_site.output
    expected = {"en": "June 26, 2025", "ru": "26 июня 2025 г.", "ky": "2025-ж., 26-июнь"}
    for lang, text in expected.items():
        page = parse(out / PREFIX[lang] / "posts" / "campaign" / "index.html")
        assert text in page.text, (lang, page.text)


def test_ui_strings_come_from_each_language_catalog(site):
    skip = {}
    for lang in LANGS:
        text = (site.output / PREFIX[lang] / "index.html").read_text(encoding="utf-8")
        skip[lang] = re.search(r'class="skip-link"[^>]*>([^<]+)<', text).group(1)
    assert skip == {
        "en": "Skip to main content",
        "ru": "Перейти к основному содержанию",
        "ky": "Негизги мазмунга өтүү",
    }


@pytest.mark.parametrize("which", ["site", "fixture_site", "published_site"])
def test_no_url_has_a_parent_segment(which, request):
    output = request.getfixturevalue(which).output
    for path in list(output.rglob("*.html")) + list(output.rglob("*.xml")):
        text = path.read_text(encoding="utf-8")
        assert "../" not in text, path


def test_nothing_under_drafts(fixture_site):
    out = fixture_site.output
    assert not list(out.rglob("drafts"))
    assert "unfinished" not in "".join(p.as_posix() for p in out.rglob("*"))


def test_sitemap_lists_every_page_with_alternates(site):
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    tree = ET.parse(site.output / "sitemap.xml")
    entries = {}
    for url in tree.getroot().findall("s:url", ns):
        loc = url.find("s:loc", ns).text
        entries[loc] = {link.get("hreflang"): link.get("href") for link in url.findall("x:link", ns)}
    # Not for the public: 404 pages and the editors' status page (dev only).
    pages = [
        p
        for p in html_files(site.output)
        if p.name != "404.html" and "status" not in p.relative_to(site.output).parts
    ]
    assert len(entries) == len(pages)
    for path in pages:
        page = parse(path)
        lang = lang_of(site.output, path)
        loc = "http://localhost:8000" + page.alternates[lang]
        assert loc in entries, f"{path} not in sitemap"
        assert set(entries[loc]) == set(page.alternates), path


def test_published_site_has_absolute_urls_under_the_sub_path(published_site):
    out = published_site.output
    base = "https://example.org/prevention"
    for path in html_files(out):
        page = parse(path)
        for url in page.urls:
            if url.startswith(("tel:", "mailto:", "#")):
                continue
            if url.startswith("webcal://"):
                # Calendar subscriptions: the same absolute address, webcal scheme.
                url = "https://" + url[len("webcal://") :]
                assert url_to_file(out, url, base).is_file(), f"{path}: {url}"
            if url.startswith("http") and urlsplit(url).netloc != "example.org":
                continue  # links out: sources, share links (this site's address is in their query)
            assert url.startswith(base + "/"), f"{path}: {url}"
        for url in page.alternates.values():
            assert url.startswith(base + "/"), f"{path}: {url}"
            assert url_to_file(out, url, base).is_file(), url
    feed = (out / "ru" / "feeds" / "all.atom.xml").read_text(encoding="utf-8")
    assert f'href="{base}/ru/posts/' in feed
    assert f"<loc>{base}/ky/</loc>" in (out / "sitemap.xml").read_text(encoding="utf-8")


def test_each_language_has_its_own_404(site):
    for lang in LANGS:
        page = parse(site.output / PREFIX[lang] / "404.html")
        assert page.lang == lang


def test_failed_build_leaves_previous_output(tmp_path):
    content = tmp_path / "content"
    import shutil

    shutil.copytree(FIXTURE_CONTENT, content)
    first = build(tmp_path, PATH=str(content))
    before = {p: p.read_bytes() for p in first.output.rglob("*") if p.is_file()}
    (content / "ru" / "posts" / "broken.md").write_text(
        "Title: Сломано\nDate: not-a-date\n\nТекст.\n", encoding="utf-8"
    )
    with pytest.raises(BuildError, match=r"broken\.md"):
        build(tmp_path, PATH=str(content))
    after = {p: p.read_bytes() for p in first.output.rglob("*") if p.is_file()}
    assert after == before
