"""Search: a Pagefind index per language, a search page per language, and
real searches in Chromium (Russian and Kyrgyz) on a small site with known
words, plus one smoke search on the bundled site."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from browser import chromium
from conftest import ROOT, build
from helpers import html_files, parse
from static_host import host

from sitekit import search

SEARCH_CONTENT = ROOT / "tests" / "search_site" / "content"
LANGS = ["en", "ru", "ky"]
PREFIX = {"en": "", "ru": "/ru", "ky": "/ky"}


@pytest.fixture(scope="module")
def search_site(tmp_path_factory):
    return build(tmp_path_factory.mktemp("search"), PATH=str(SEARCH_CONTENT))


# --- the index ---------------------------------------------------------------


def test_one_index_per_language_with_content_pages_only(search_site):
    # 3 pages (home included) and 1 post per language; the search page, the
    # announcements listing and the 404 page are not indexed.
    assert search.indexed_languages(search_site.output) == {"en": 4, "ru": 4, "ky": 4}


def test_only_pages_and_posts_mark_their_main_content_for_indexing(search_site):
    out = search_site.output
    marked = {
        p.relative_to(out).as_posix()
        for p in html_files(out)
        if re.search(r"<main[^>]*data-pagefind-body", p.read_text("utf-8"))
    }
    for lang in LANGS:
        pre = f"{lang}/" if lang != "en" else ""
        assert {
            f"{pre}index.html",
            f"{pre}complaints/index.html",
            f"{pre}visits/index.html",
            f"{pre}posts/news/index.html",
        } <= marked
        for unmarked in ("search/index.html", "posts/index.html", "404.html"):
            assert f"{pre}{unmarked}" not in marked
    # Only <main> is marked: the header, navigation and footer are outside it.
    text = (out / "ru" / "complaints" / "index.html").read_text("utf-8")
    assert text.count("data-pagefind-body") == 1
    assert text.index("data-pagefind-body") > text.index("</header>")


def test_a_broken_index_run_fails_the_step(tmp_path, monkeypatch):
    monkeypatch.setattr(search, "pagefind_command", lambda site: ["false"])
    with pytest.raises(search.SearchIndexError, match="could not index"):
        search.index_site(tmp_path, {})


def test_an_empty_index_file_names_the_file_and_the_free_space(tmp_path, monkeypatch):
    # What a full disk leaves: Pagefind exits 0, its entry file is empty.
    entry = tmp_path / search.BUNDLE_DIR / "pagefind-entry.json"
    script = f"mkdir -p '{entry.parent}' && : > '{entry}'"
    monkeypatch.setattr(search, "pagefind_command", lambda site: ["sh", "-c", script])
    with pytest.raises(search.SearchIndexError) as failed:
        search.index_site(tmp_path, {})
    message = str(failed.value)
    assert str(entry) in message and "MB free" in message and "Expecting value" in message


# --- the search pages ------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_search_page_in_every_language(search_site, lang):
    path = search_site.output / PREFIX[lang].lstrip("/") / "search" / "index.html"
    page = parse(path)
    assert page.lang == lang
    text = path.read_text("utf-8")
    # No inline script or style: scripts by src only, no style attributes.
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text)
    assert "<style" not in text and " style=" not in text
    assert "/pagefind/pagefind-ui.js" in text and "/theme/js/search.js" in text
    # The no-JavaScript fallback lists this language's pages.
    assert f"{PREFIX[lang]}/complaints/" in page.urls
    # Each nav has a link to its own language's search page.
    home = (search_site.output / PREFIX[lang].lstrip("/") / "index.html").read_text("utf-8")
    assert f'href="{PREFIX[lang]}/search/"' in home


def search_strings(output: Path, lang: str) -> dict:
    text = (output / PREFIX[lang].lstrip("/") / "search" / "index.html").read_text("utf-8")
    return json.loads(re.search(r"data-translations='([^']*)'", text).group(1))


def test_ui_strings_are_supplied_in_each_language(search_site):
    en = search_strings(search_site.output, "en")
    for lang in ("ru", "ky"):
        strings = search_strings(search_site.output, lang)
        assert strings.keys() == en.keys()
        for key, value in strings.items():
            assert value != en[key], (lang, key)
            assert re.search("[а-яөүң]", value, re.I), (lang, key, value)
            # Pagefind fills these placeholders in; they must survive translation.
            assert set(re.findall(r"\[[A-Z_]+\]", value)) == set(re.findall(r"\[[A-Z_]+\]", en[key]))
    assert search_strings(search_site.output, "ky")["placeholder"] == "Сайттан издөө"


# --- in the browser ------------------------------------------------------------


def run_search(page, base: str, lang: str, word: str) -> list[str]:
    page.goto(f"{base}{PREFIX[lang]}/search/")
    box = page.locator(".pagefind-ui__search-input")
    box.wait_for()
    box.fill(word)
    # Done when the message is final and the list shows as many results as
    # it announces (the UI lists the first 5 pages; no number means none
    # found), each with its link (the UI draws empty placeholders first).
    page.wait_for_function(
        "() => { const m = document.querySelector('.pagefind-ui__message');"
        " if (!m || !m.textContent || m.textContent.includes('…')"
        " || m.textContent.includes('...')) return false;"
        " const n = Number((m.textContent.match(/\\d+/) || ['0'])[0]);"
        " const items = [...document.querySelectorAll('li.pagefind-ui__result')];"
        " return items.length === Math.min(n, 5)"
        "     && items.every(li => li.querySelector('a.pagefind-ui__result-link[href]')); }"
    )
    return [a.get_attribute("href") for a in page.locator(".pagefind-ui__result-link").all()]


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


def watch(page, problems: list, base: str):
    """Collect console errors (a CSP violation is one), script errors and
    requests to any other host."""
    netloc = urlsplit(base).netloc
    page.on("response", lambda r: r.status >= 400 and problems.append(f"{r.status} {r.url}"))
    page.on(
        "console", lambda m: m.type == "error" and "status of 404" not in m.text and problems.append(m.text)
    )
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on(
        "request",
        lambda r: (
            urlsplit(r.url).scheme in ("data", "blob")
            or urlsplit(r.url).netloc == netloc
            or problems.append(f"other host: {r.url}")
        ),
    )


def test_russian_and_kyrgyz_searches_find_the_right_page_in_that_language(search_site, browser):
    with host(search_site.output) as (base, served):
        page = browser.new_page()
        problems: list = []
        watch(page, problems, base)
        # Russian, with stemming: "жалоба" finds "жалобу" in the title.
        assert run_search(page, base, "ru", "жалоба") == [f"{PREFIX['ru']}/complaints/"]
        assert page.locator(".pagefind-ui__message").inner_text().startswith("Найдено")
        # Kyrgyz (no stemming in Pagefind): a whole word from the body.
        assert run_search(page, base, "ky", "маякчы") == [f"{PREFIX['ky']}/complaints/"]
        assert page.locator(".pagefind-ui__search-input").get_attribute("placeholder") == "Сайттан издөө"
        # A word in several languages: results stay in the reader's language.
        ky = run_search(page, base, "ky", "Бишкек")
        assert sorted(ky) == ["/ky/complaints/", "/ky/visits/"]
        ru = run_search(page, base, "ru", "Бишкек")
        assert sorted(ru) == ["/ru/complaints/", "/ru/visits/"]
        # Nothing from the header, menu or footer is indexed.
        assert run_search(page, base, "ky", "Негизги") == []  # the skip link
        assert "эч нерсе табылган жок" in page.locator(".pagefind-ui__message").inner_text()
        assert run_search(page, base, "en", "cookies") == []
        assert run_search(page, base, "en", "lighthouse") == ["/complaints/"]
        # The no-JavaScript notice is hidden once the UI runs.
        assert page.locator("#search-nojs").is_hidden()
        assert problems == []
        # Served as the nginx set-up would: under its Content-Security-Policy.
        assert any(p.startswith("/pagefind/") for p, _ in served)


def test_search_page_without_javascript_shows_a_notice(search_site, browser):
    with host(search_site.output) as (base, _):
        context = browser.new_context(java_script_enabled=False)
        page = context.new_page()
        page.goto(base + "/ky/search/")
        notice = page.locator("#search-nojs")
        assert notice.is_visible()
        assert "JavaScript" in notice.inner_text()
        assert "Акыйкатчыга кантип арыз берүү керек" in notice.inner_text()
        context.close()


def test_search_on_the_bundled_site_finds_a_page_by_its_title(site, browser):
    # Words taken from the built about pages' titles, so content edits do not
    # break the test; the page must be found in the same language only.
    with host(site.output) as (base, _):
        page = browser.new_page()
        for lang in ("ru", "ky"):
            title = parse(site.output / lang / "about" / "index.html")
            h1 = re.search(
                r"<h1>([^<]+)</h1>", (site.output / lang / "about" / "index.html").read_text("utf-8")
            ).group(1)
            word = max(h1.split(), key=len)
            assert title.lang == lang
            found = run_search(page, base, lang, word)
            assert f"/{lang}/about/" in found, (lang, word, found)
            assert all(url.startswith(f"/{lang}/") for url in found), found
