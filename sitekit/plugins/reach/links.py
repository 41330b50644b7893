"""Share links, absolute addresses and robots.txt: plain functions.

Share links are ordinary ``<a href>`` to the messengers' own share
addresses. Nothing is loaded until the reader taps one, and they carry the
page's address and title only."""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from sitekit.core import urls
from sitekit.core.site import SiteSettings


@dataclass(frozen=True)
class ShareLink:
    name: str  # the service, never translated (Telegram, WhatsApp); "email" for e-mail
    href: str


def _q(text: str) -> str:
    """A query value: ASCII percent-encoded except ':' and '/', which a
    query may hold as they are; letters beyond ASCII kept as they are (a
    valid URL: the browser encodes them as UTF-8 when it follows the link).
    Every page carries three of these: a Cyrillic title is a third of its
    encoded size."""
    return "".join(map(_q_char, text))


@functools.lru_cache(maxsize=4096)
def _q_char(ch: str) -> str:
    # One character at a time, remembered: a site's pages use few.
    return ch if ord(ch) > 127 and unicodedata.category(ch)[0] not in "CZ" else quote(ch, safe=":/")


def share_links(url: str, title: str) -> list[ShareLink]:
    """Telegram, WhatsApp and e-mail links that share ``url`` with ``title``."""
    address, text = _q(url), _q(" ".join(str(title).split()))
    return [
        ShareLink("Telegram", f"https://t.me/share/url?url={address}&text={text}"),
        ShareLink("WhatsApp", f"https://wa.me/?text={text}%20{address}"),
        ShareLink("email", f"mailto:?subject={text}&body={address}"),
    ]


def absolute(absolute_root: str, url: str) -> str:
    """A root-relative URL ('/ru/rights/', as development links are) made
    absolute with the site's absolute address; absolute ones are kept."""
    if urlsplit(url).scheme:
        return url
    path = urlsplit(absolute_root).path
    if path and url.startswith(path + "/"):
        url = url[len(path) :]
    return absolute_root + "/" + url.lstrip("/")


def robots_txt(site: SiteSettings) -> str:
    """robots.txt for the site's root: everything may be crawled except the
    editors' addresses (urls.PRIVATE) when the build writes them (the
    development build, TRANSLATION_STATUS_PAGE); the sitemap by its
    absolute address."""
    base_path = urlsplit(site.absolute_root).path.rstrip("/")
    disallow = []
    if site.translation_status_page:
        for lang in site.codes:
            prefix = site.prefix(lang)
            for kind in urls.PRIVATE:
                disallow.append(f"{base_path}/{prefix + '/' if prefix else ''}{urls.path(kind)}")
    lines = ["User-agent: *", *([f"Disallow: {path}" for path in disallow] or ["Disallow:"])]
    lines += ["", f"Sitemap: {site.absolute_root}/sitemap.xml"]
    return "\n".join(lines) + "\n"
