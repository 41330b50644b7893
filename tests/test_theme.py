"""The theme on the built site, read from the files: the Content-Security-
Policy, nothing loaded from another host, no inline script or style, no
storage in scripts, quick exit and the safety note on every page, one h1,
phone links, and the 50 KB budget per page (HTML + its CSS and JS)."""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
from conftest import FIXTURE_CONTENT, ROOT, build
from helpers import html_files

from sitekit.bench.pages import BUDGET_BYTES, resources, site_weights, url_to_path
from sitekit.build import load_settings

SETTINGS = load_settings()
EXIT_URL = SETTINGS["QUICK_EXIT_URL"]
CSP = SETTINGS["CONTENT_SECURITY_POLICY"]
EXIT_LABEL = {"en": "Exit this page", "ru": "Уйти со страницы", "ky": "Барактан чыгуу"}
PREFIX = {"en": "", "ru": "ru/", "ky": "ky/"}
SITES = ["site", "fixture_site", "published_site"]
FOCUSABLE = {"a", "button", "input", "select", "textarea", "summary"}


class ThemeParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lang = None
        self.head: list[tuple[str, dict]] = []
        self.in_head = False
        self.csp: list[str] = []
        self.scripts: list[dict] = []
        self.style_elements = 0
        self.style_attrs: list[str] = []
        self.handlers: list[str] = []
        self.js_urls: list[str] = []
        self.focusable: list[dict] = []
        self.h1 = 0
        self.tel: list[str] = []
        self.safety_links: list[str] = []
        self._script = None
        self._in_safety = 0
        self._capture = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "html":
            self.lang = a.get("lang")
        if tag == "head":
            self.in_head = True
        elif self.in_head:
            self.head.append((tag, a))
        if tag == "meta" and a.get("http-equiv", "").lower() == "content-security-policy":
            self.csp.append(a.get("content", ""))
        if tag == "script":
            self._script = {**a, "text": ""}
            self.scripts.append(self._script)
        if tag == "style":
            self.style_elements += 1
        if "style" in a:
            self.style_attrs.append(f"<{tag} style={a['style']!r}>")
        self.handlers += [f"<{tag} {k}>" for k in a if k.startswith("on")]
        self.js_urls += [
            v
            for k, v in a.items()
            if k in ("href", "src", "action") and v.strip().lower().startswith("javascript:")
        ]
        if tag == "h1":
            self.h1 += 1
        if tag == "a" and a.get("href", "").startswith("tel:"):
            self.tel.append(a["href"])
        if "safety-note" in a.get("class", "").split():
            self._in_safety = 1
        elif self._in_safety and tag == "a":
            self.safety_links.append(a.get("href"))
        if (tag in FOCUSABLE and (tag != "a" or "href" in a)) or a.get("tabindex", "-1") not in ("-1", ""):
            item = {"tag": tag, **a, "text": ""}
            self.focusable.append(item)
            self._capture = item if tag == "a" else None

    def handle_endtag(self, tag):
        if tag == "head":
            self.in_head = False
        if tag == "script":
            self._script = None
        if tag == "p":
            self._in_safety = 0
        if tag == "a":
            self._capture = None

    def handle_data(self, data):
        if self._script is not None:
            self._script["text"] += data
        if self._capture is not None:
            self._capture["text"] += data


def parse(path: Path) -> ThemeParser:
    p = ThemeParser()
    p.feed(path.read_text(encoding="utf-8"))
    return p


def lang_root(output: Path, path: Path) -> str:
    first = path.relative_to(output).parts[0]
    return first if first in ("ru", "ky") else "en"


def site_root(which: str, built) -> str:
    return "https://example.org/prevention" if which == "published_site" else ""


def directives(policy: str) -> dict[str, list[str]]:
    out = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            out[words[0]] = words[1:]
    return out


def test_policy_setting_allows_only_this_site():
    d = directives(CSP)
    for name in ("default-src", "style-src", "form-action", "base-uri"):
        assert d[name] == ["'self'"], name
    # Search runs Pagefind's WebAssembly ('wasm-unsafe-eval' allows no eval of
    # script text); its stylesheet draws the search icon as a data: image.
    assert d["script-src"] == ["'self'", "'wasm-unsafe-eval'"]
    assert d["img-src"] == ["'self'", "data:"]
    assert d["object-src"] == ["'none'"]
    assert "'unsafe-inline'" not in CSP and "'unsafe-eval'" not in CSP
    assert "frame-ancestors" not in d, "frame-ancestors is ignored in a <meta> policy"


@pytest.mark.parametrize("which", SITES)
def test_every_page_has_the_csp_meta_first_in_head(which, request):
    output = request.getfixturevalue(which).output
    for path in html_files(output):
        page = parse(path)
        assert page.csp == [CSP], path
        tags = [(t, a.get("http-equiv", a.get("charset"))) for t, a in page.head[:2]]
        assert tags == [("meta", "utf-8"), ("meta", "Content-Security-Policy")], (
            f"{path}: the policy must come right after <meta charset>, before anything it governs"
        )


@pytest.mark.parametrize("which", SITES)
def test_no_inline_script_style_or_handlers(which, request):
    output = request.getfixturevalue(which).output
    for path in html_files(output):
        page = parse(path)
        for script in page.scripts:
            if script.get("type") == "application/ld+json":
                continue  # data, not script: CSP does not run it
            assert script.get("src") and not script["text"].strip(), f"{path}: inline <script>"
            assert "defer" in script or "async" in script, f"{path}: {script['src']} blocks rendering"
        assert page.style_elements == 0, f"{path}: <style> element"
        assert page.style_attrs == [], f"{path}: {page.style_attrs}"
        assert page.handlers == [], f"{path}: {page.handlers}"
        assert page.js_urls == [], f"{path}: {page.js_urls}"


@pytest.mark.parametrize("which", SITES)
def test_pages_load_nothing_from_other_hosts(which, request):
    built = request.getfixturevalue(which)
    output, root = built.output, site_root(which, built)
    for path in html_files(output):
        for url in resources(path.read_text(encoding="utf-8")).all:
            target = url_to_path(output, url, root)
            assert target is not None, f"{path} loads {url} from another host"
            assert target.is_file(), f"{path} loads {url}, which is not in the site"


def test_css_and_js_use_no_fonts_remote_urls_or_storage(site):
    # Pagefind's own files (pagefind/) serve the search page only.
    css = [p for p in site.output.rglob("*.css") if "pagefind" not in p.parts]
    js = [p for p in site.output.rglob("*.js") if "pagefind" not in p.parts]
    # One small stylesheet for every page; the printed sheets (event
    # posters, the rights card) add their own, so no other page pays for it.
    assert sorted(p.name for p in css) == ["sheet.css", "site.css"]
    assert "quick-exit.js" in [p.name for p in js]
    for path in css:
        text = path.read_text(encoding="utf-8")
        assert "@font-face" not in text and "@import" not in text, path
        assert "url(" not in text, f"{path}: no images or fonts from CSS"
        assert "@media print" in text, path
    site_css = (site.output / "theme" / "css" / "site.css").read_text(encoding="utf-8")
    assert "system-ui" in site_css and "Roboto" in site_css and "Noto Sans" in site_css
    assert "prefers-reduced-motion" in site_css
    for path in html_files(site.output):
        loaded = [Path(url).name for url in resources(path.read_text(encoding="utf-8")).styles]
        assert loaded[:1] == ["site.css"], path
        if "sheet.css" in loaded:
            assert 'class="print-sheet' in path.read_text(encoding="utf-8"), f"{path} loads sheet.css"
    for path in js:
        text = path.read_text(encoding="utf-8")
        # Comments may talk about storage; code may not use it.
        code = re.sub(r"/\*.*?\*/|//[^\n]*", "", text, flags=re.S)
        for banned in (
            "cookie",
            "localStorage",
            "sessionStorage",
            "indexedDB",
            "http://",
            "https://",
            "fetch(",
            "XMLHttpRequest",
            "sendBeacon",
        ):
            assert banned not in code, f"{path} uses {banned}"


@pytest.mark.parametrize("which", SITES)
def test_every_page_starts_with_skip_link_then_quick_exit(which, request):
    built = request.getfixturevalue(which)
    output = built.output
    root = site_root(which, built)
    for path in html_files(output):
        page = parse(path)
        lang = lang_root(output, path)
        skip, exit_link = page.focusable[:2]
        assert skip["href"] == "#main" and "skip-link" in skip["class"], path
        assert exit_link["href"] == EXIT_URL, path
        assert "noreferrer" in exit_link["rel"].split(), path
        assert exit_link["text"].strip() == EXIT_LABEL[lang], path
        srcs = [s["src"] for s in page.scripts if s.get("src")]
        assert f"{root}/theme/js/quick-exit.js" in srcs, path
        # The safety note links to this language's "staying safe" page
        # (the fixture site has none: then there is no link).
        expected = [f"{root}/{PREFIX[lang]}staying-safe/"] if which != "fixture_site" else []
        assert page.safety_links == expected, path


def test_exit_url_setting_and_safety_link_fallback(tmp_path):
    """QUICK_EXIT_URL is a setting; a language without its own "staying
    safe" page links to the main language's one."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    shutil.copy(ROOT / "content/en/pages/staying-safe.md", content / "en/pages/")
    built = build(tmp_path, PATH=str(content), QUICK_EXIT_URL="https://weather.example/")
    ky = parse(built.output / "ky" / "index.html")
    assert ky.focusable[1]["href"] == "https://weather.example/"
    assert ky.safety_links == ["/staying-safe/"]
    assert parse(built.output / "index.html").safety_links == ["/staying-safe/"]


@pytest.mark.parametrize("which", ["site", "fixture_site"])
def test_one_h1_per_page_and_phone_links_dial(which, request):
    output = request.getfixturevalue(which).output
    for path in html_files(output):
        page = parse(path)
        assert page.h1 == 1, f"{path}: {page.h1} h1 elements"
        assert page.tel, f"{path}: no hotline link"
        for href in page.tel:
            assert re.fullmatch(r"tel:\+?[0-9]+", href), f"{path}: {href} does not dial on phones"


@pytest.mark.parametrize("which", ["site", "published_site"])
def test_every_page_with_its_css_and_js_is_under_50_kb(which, request, capsys):
    built = request.getfixturevalue(which)
    weights = site_weights(built.output, site_root(which, built))
    heaviest = weights[0]
    name = heaviest.page.relative_to(built.output).as_posix()
    with capsys.disabled():
        print(
            f"\n[{which}] heaviest page: {name}, {heaviest.total:,} bytes "
            f"(HTML {heaviest.html_bytes:,} + CSS/JS {heaviest.asset_bytes:,}) "
            f"of {BUDGET_BYTES:,}"
        )
    assert len(weights) > 10
    assert heaviest.total < BUDGET_BYTES, (
        f"{name} weighs {heaviest.total:,} bytes with its CSS and JS "
        f"({', '.join(heaviest.assets)}); the budget is {BUDGET_BYTES:,}"
    )


def test_page_weight_counts_the_css_and_js_a_page_loads(site):
    home = site.output / "index.html"
    weights = {w.page: w for w in site_weights(site.output)}
    w = weights[home]
    # The home page loads the stylesheet, the quick exit and the events
    # re-sorting script (its upcoming-events block).
    assets = ["theme/css/site.css", "theme/js/events.js", "theme/js/quick-exit.js"]
    assert sorted(w.assets) == assets
    assert w.total == home.stat().st_size + sum((site.output / a).stat().st_size for a in assets)
    assert w.requests == 5  # HTML, CSS, two scripts, icon


def test_markdown_tables_need_no_inline_style():
    config = SETTINGS["MARKDOWN"]["extension_configs"]
    md = markdown.Markdown(extensions=list(config), extension_configs=config)
    html = md.convert("| a | b |\n|--:|:-:|\n| 1 | 2 |\n")
    assert "<table>" in html and "style=" not in html and 'align="right"' in html


def test_security_header_docs_match_the_policy():
    text = (ROOT / "docs" / "security-headers.md").read_text(encoding="utf-8")
    header_policy = CSP + "; frame-ancestors 'none'"
    # nginx, Apache, Caddy and Netlify/_headers each carry the same policy.
    assert text.count(header_policy) >= 4, "docs must show the policy from pelicanconf.py"
    for word in (
        "nginx",
        "Apache",
        "Caddy",
        "_headers",
        "frame-ancestors",
        "Referrer-Policy",
        "X-Content-Type-Options",
        "Permissions-Policy",
    ):
        assert word in text, word


def test_staying_safe_page_exists_in_every_language(site):
    for lang, prefix in PREFIX.items():
        source = ROOT / "content" / lang / "pages" / "staying-safe.md"
        head = source.read_text(encoding="utf-8").split("\n\n", 1)[0]
        for field in ("Title:", "Reviewed:", "Summary:", "Keywords:"):
            assert field in head, f"{source}: {field}"
        page = site.output / prefix / "staying-safe" / "index.html"
        text = page.read_text(encoding="utf-8")
        assert "Shift" in text and "Ctrl+Shift+N" in text, page
