"""Publishing: absolute URLs inside the site's base (sub-path or domain
root), minified HTML and CSS, .gz and .br copies that decompress to the
file beside them, and a sub-path build that works in Chromium."""

from __future__ import annotations

import gzip
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import brotli
import pytest
from browser import chromium
from conftest import ROOT, build
from helpers import html_files, parse
from newsfeeds import closed_port as free_port
from static_host import host

from sitekit import publish

SEARCH_CONTENT = ROOT / "tests" / "search_site" / "content"
BASE = "https://example.org/prevention"
ATTRS = re.compile(r"""\s(href|src|action|data-bundle|data-base-url)=("[^"]*"|'[^']*'|[^\s>]+)""")


def url_attributes(path: Path) -> list[tuple[str, str, str]]:
    """(tag, attribute, url) of every URL-like attribute, minified HTML included."""
    found = []
    for tag in re.finditer(r"<([a-z]+)\b([^>]*)>", path.read_text("utf-8")):
        for attr, value in ATTRS.findall(tag.group(2)):
            found.append((tag.group(1), attr, value.strip("\"'")))
    return found


def assert_urls_inside(output: Path, base: str):
    checked = 0
    for path in html_files(output):
        for tag, attr, url in url_attributes(path):
            if url.startswith(("tel:", "mailto:", "#")):
                continue
            if url.startswith("webcal://"):
                # Calendar subscriptions: the same absolute address, webcal scheme.
                url = urlsplit(base).scheme + "://" + url[len("webcal://") :]
            if tag == "a" and urlsplit(url).netloc not in ("", urlsplit(base).netloc):
                continue  # a link out to a source, which the reader follows on purpose
            assert url.startswith(base + "/"), f"{path}: <{tag} {attr}={url}>"
            checked += 1
    assert checked > 100


def test_every_url_points_inside_the_sub_path(published_site):
    assert_urls_inside(published_site.output, BASE)


def test_every_url_points_inside_the_domain_root(tmp_path):
    result = build(tmp_path, "publishconf.py", SITEURL="https://example.org")
    assert_urls_inside(result.output, "https://example.org")
    assert "https://example.org/ru/" in (result.output / "sitemap.xml").read_text("utf-8")


def test_html_and_css_are_minified(published_site, tmp_path):
    out = published_site.output
    # The same production build without the publish step, to compare with.
    plain = build(
        tmp_path, "publishconf.py", SITEURL=BASE, POST_BUILD_STEPS=["sitekit.search:index_site"]
    ).output
    for rel in ("index.html", "ru/about/index.html", "theme/css/site.css"):
        small, big = (out / rel).read_bytes(), (plain / rel).read_bytes()
        assert len(small) < len(big) * 0.95, rel
        assert b"\n  " not in small, rel
    assert not list(plain.rglob("*.br"))
    # Still the same document: language, alternates, URLs and text survive.
    for rel in ("ky/index.html", "ru/search/index.html"):
        page, before = parse(out / rel), parse(plain / rel)
        assert page.lang == before.lang
        assert page.text.replace(" ", "") == before.text.replace(" ", "")
        assert page.alternates == before.alternates
        assert sorted(page.urls) == sorted(before.urls)


def test_compressed_copies_beside_every_text_file(published_site):
    out = published_site.output
    texts = [
        p
        for p in out.rglob("*")
        if p.is_file() and p.suffix in publish.TEXT_SUFFIXES and p.stat().st_size >= publish.MIN_SIZE
    ]
    assert len(texts) > 20
    kinds = {p.suffix for p in texts}
    assert {".html", ".css", ".js", ".xml", ".json"} <= kinds
    for path in texts:
        data = path.read_bytes()
        assert gzip.decompress(path.with_name(path.name + ".gz").read_bytes()) == data, path
        assert brotli.decompress(path.with_name(path.name + ".br").read_bytes()) == data, path
    # Nothing is compressed twice.
    assert not list(out.rglob("*.gz.br")) and not list(out.rglob("*.br.gz"))


def test_relative_siteurl_is_refused(tmp_path):
    for bad in ("", "/prevention", "example.org", "ftp://example.org"):
        with pytest.raises(publish.PublishError, match="not an absolute URL"):
            publish.check_siteurl(bad)
    assert publish.check_siteurl("https://example.org/prevention/") == BASE


def test_invoke_publish_writes_compressed_output(tmp_path):
    out = tmp_path / "public"
    env = dict(os.environ, SITEURL="https://example.net/kg")
    proc = subprocess.run(
        # The bundled content carries example events: a demonstration site.
        [sys.executable, "-m", "invoke", "publish", "--output", str(out), "--allow-samples"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "precompressed" in proc.stdout
    assert (out / "ky" / "index.html.br").is_file()
    assert "href=https://example.net/kg/theme/css/site.css" in (out / "ky" / "index.html").read_text("utf-8")
    assert (out / "pagefind" / "pagefind-entry.json").is_file()


def test_sub_path_build_loads_css_and_search_in_chromium(tmp_path):
    """Built for http://127.0.0.1:<port>/prevention and served there, with
    the precompressed copies and the CSP header, like the nginx set-up."""
    port = free_port()
    base = f"http://127.0.0.1:{port}/prevention"
    result = build(tmp_path, "publishconf.py", SITEURL=base, PATH=str(SEARCH_CONTENT))
    assert_urls_inside(result.output, base)
    with host(result.output, "/prevention/", port=port) as (url, served), chromium() as browser:
        assert url == base
        page = browser.new_page()
        problems: list = []
        page.on("response", lambda r: r.status >= 400 and problems.append(f"{r.status} {r.url}"))
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.on(
            "console",
            lambda m: m.type == "error" and "status of 404" not in m.text and problems.append(m.text),
        )
        page.goto(base + "/ru/search/")
        # The stylesheet applied: the skip link is moved off screen by site.css.
        assert (
            page.locator("link[rel=stylesheet]").first.get_attribute("href") == base + "/theme/css/site.css"
        )
        assert page.evaluate("document.styleSheets.length") >= 2
        assert page.evaluate("getComputedStyle(document.querySelector('.skip-link')).position") == "absolute"
        page.locator(".pagefind-ui__search-input").fill("омбудсмен")
        link = page.locator(".pagefind-ui__result-link").first
        link.wait_for()
        assert link.get_attribute("href") == base + "/ru/complaints/"
        link.click()
        page.wait_for_url(base + "/ru/complaints/")
        assert page.locator("h1").inner_text() == "Как подать жалобу омбудсмену"
        assert problems == []
    encodings = {enc for path, enc in served if path.endswith((".html", "/", ".css", ".js"))}
    assert encodings == {"br"}, served
