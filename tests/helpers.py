"""Reading built sites in tests: parse HTML with the standard library."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path


class PageParser(HTMLParser):
    """Collects what the tests look at: <html lang>, <link rel=alternate>,
    every URL attribute, the language switcher and the text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lang = None
        self.alternates: dict[str, str] = {}
        self.urls: list[str] = []
        self.switcher: list[dict] = []
        self.ids: set[str] = set()
        self.h1_count = 0
        self._in_switcher = 0
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "html":
            self.lang = a.get("lang")
        if tag == "h1":
            self.h1_count += 1
        if tag == "link" and a.get("rel") == "alternate" and a.get("hreflang"):
            self.alternates[a["hreflang"]] = a["href"]
        for attr in ("href", "src", "action"):
            if a.get(attr):
                self.urls.append(a[attr])
        if tag == "nav" and "lang-switcher" in (a.get("class") or ""):
            self._in_switcher = 1
        elif self._in_switcher and tag in ("a", "span") and a.get("lang"):
            self.switcher.append(a)

    def handle_endtag(self, tag):
        if tag == "nav":
            self._in_switcher = 0

    def handle_data(self, data):
        self._text.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self._text).split())


def parse(path: Path) -> PageParser:
    parser = PageParser()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def html_files(root: Path) -> list[Path]:
    return sorted(root.rglob("*.html"))


def url_to_file(output: Path, url: str, site_root: str = "") -> Path:
    """Map a root-relative (or site_root-prefixed) URL to the file a static
    server would send for it."""
    path = url.split("#", 1)[0]
    if site_root and path.startswith(site_root):
        path = path[len(site_root) :]
    path = path.lstrip("/")
    target = output / path
    if path == "" or path.endswith("/"):
        target = target / "index.html"
    return target


def lang_of(output: Path, path: Path) -> str:
    """The language of a built file: its first folder, or the main one."""
    first = path.relative_to(output).parts[0]
    return first if first in ("ru", "ky") else "en"
