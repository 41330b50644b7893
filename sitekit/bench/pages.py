"""Page weight: what a reader on a slow link downloads for one page.

``page_weight(output, html_file)`` adds up an HTML page and the CSS and
JavaScript files it loads, from the built files (uncompressed bytes), and
counts the requests the page makes (the HTML, its stylesheets, scripts and
images). The theme's tests use it for the 50 KB budget; ``run()`` is the
``invoke bench`` part that prints the home page of each language."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

# Every HTML page together with its CSS and JS must stay under this.
BUDGET_BYTES = 50 * 1024
# The search index and its loader are fetched only when someone searches:
# they are not part of a page's weight (the issue: "the search index aside").
EXEMPT_PREFIXES = ("pagefind/",)


class ResourceParser(HTMLParser):
    """Collects the URLs a page loads by itself (not the links it shows)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.styles: list[str] = []
        self.scripts: list[str] = []
        self.images: list[str] = []
        self.other: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        rel = a.get("rel", "").lower().split()
        if tag == "link" and a.get("href"):
            if "stylesheet" in rel:
                self.styles.append(a["href"])
            elif set(rel) & {"icon", "preload", "modulepreload", "prefetch", "manifest", "apple-touch-icon"}:
                self.other.append(a["href"])
        elif tag == "script" and a.get("src"):
            self.scripts.append(a["src"])
        elif tag == "img" and a.get("src"):
            self.images.append(a["src"])
        elif tag in ("iframe", "embed", "audio", "video", "source", "track") and a.get("src"):
            self.other.append(a["src"])
        elif tag == "object" and a.get("data"):
            self.other.append(a["data"])
        if tag == "video" and a.get("poster"):
            self.other.append(a["poster"])

    @property
    def all(self) -> list[str]:
        return self.styles + self.scripts + self.images + self.other


def resources(html: str) -> ResourceParser:
    parser = ResourceParser()
    parser.feed(html)
    return parser


def url_to_path(output: Path, url: str, site_root: str = "") -> Path | None:
    """The built file a same-site URL points to, or None for another host."""
    parts = urlsplit(url)
    root = urlsplit(site_root)
    if (parts.scheme or parts.netloc) and (parts.scheme, parts.netloc) != (root.scheme, root.netloc):
        return None
    path = parts.path
    if root.path and path.startswith(root.path):
        path = path[len(root.path) :]
    return output / path.lstrip("/")


@dataclass
class Weight:
    page: Path
    html_bytes: int
    asset_bytes: int
    requests: int
    assets: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.html_bytes + self.asset_bytes


def page_weight(output: Path, html_file: Path, site_root: str = "") -> Weight:
    """HTML + CSS + JS bytes of one built page (images only counted as
    requests). A file it loads that does not exist raises FileNotFoundError."""
    html = html_file.read_text(encoding="utf-8")
    found = resources(html)
    assets = 0
    names = []
    for url in found.styles + found.scripts:
        path = url_to_path(output, url, site_root)
        if path is None:
            raise ValueError(f"{html_file}: loads {url} from another host")
        rel = path.relative_to(output).as_posix()
        if rel.startswith(EXEMPT_PREFIXES) or url.startswith("/__livereload"):
            continue
        assets += path.stat().st_size
        names.append(rel)
    return Weight(html_file, len(html.encode("utf-8")), assets, 1 + len(found.all), names)


def site_weights(output: Path, site_root: str = "") -> list[Weight]:
    """Every HTML page of a built site, heaviest first."""
    weights = [page_weight(output, p, site_root) for p in sorted(output.rglob("*.html"))]
    return sorted(weights, key=lambda w: w.total, reverse=True)


def run() -> list[str]:
    """`invoke bench`: build the site in a temporary folder and report the
    home page of every language, and the heaviest page."""
    from sitekit.build import ROOT, build_site, load_settings

    settings = load_settings()
    lines = []
    with tempfile.TemporaryDirectory() as tmp:
        result = build_site(
            ROOT / "pelicanconf.py", Path(tmp) / "output", {"CACHE_PATH": str(Path(tmp) / "cache")}
        )
        out = result.output
        for lang in settings["LANGUAGES"]:
            code = lang["code"]
            prefix = "" if code == settings["MAIN_LANG"] else code + "/"
            w = page_weight(out, out / prefix / "index.html")
            lines.append(
                f"home /{prefix:<4} {w.total:>7,} bytes in {w.requests} requests "
                f"(HTML {w.html_bytes:,} + CSS/JS {w.asset_bytes:,}: {', '.join(w.assets)})"
            )
        heaviest = site_weights(out)[0]
        lines.append(
            f"heaviest page: {heaviest.page.relative_to(out).as_posix()} "
            f"{heaviest.total:,} bytes (budget {BUDGET_BYTES:,})"
        )
    return lines
