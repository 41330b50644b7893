"""Making feed text safe: HTML through nh3, titles as plain text, links
checked, and the normalised forms used to drop duplicates."""

from __future__ import annotations

import html
import re
import unicodedata
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import nh3

# A small set: text structure and links. No images (a third-party request),
# no forms, tables, styles, classes, ids or event handlers.
ALLOWED_TAGS = frozenset(
    {"p", "br", "em", "strong", "b", "i", "ul", "ol", "li", "blockquote", "q", "cite", "abbr", "a"}
)
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}}
URL_SCHEMES = frozenset({"http", "https"})
LINK_REL = "noopener noreferrer nofollow"
SUMMARY_MAX_CHARS = 400
TITLE_MAX_CHARS = 300


def sanitize_html(fragment: str) -> str:
    """Feed HTML reduced to ALLOWED_TAGS; links absolute http(s) only, with
    rel="noopener noreferrer nofollow"; script and style dropped with their
    content."""
    if not fragment:
        return ""
    return nh3.clean(
        fragment,
        tags=set(ALLOWED_TAGS),
        attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel=LINK_REL,
        url_relative="deny",
        strip_comments=True,
    ).strip()


def to_text(fragment: str) -> str:
    """Plain text of a piece of feed HTML (titles are text, never markup)."""
    if not fragment:
        return ""
    cleaned = nh3.clean(fragment, tags=set())
    text = html.unescape(cleaned)
    return " ".join(text.split())


def shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(" ,.;:") + "…"


def summary_html(fragment: str) -> str:
    """A summary to show: the sanitised HTML when short, else its text cut to
    SUMMARY_MAX_CHARS (escaped: it is shown as HTML)."""
    safe = sanitize_html(fragment)
    text = to_text(safe)
    if not text:
        return ""
    if len(text) <= SUMMARY_MAX_CHARS:
        return safe
    return html.escape(shorten(text, SUMMARY_MAX_CHARS), quote=False)


def safe_link(link: str | None, base: str = "") -> str | None:
    """An absolute http(s) URL, or None (javascript:, data:, relative
    without a base, garbage)."""
    if not link or not isinstance(link, str):
        return None
    link = "".join(ch for ch in link.strip() if ch >= " " and ch != "\x7f")
    try:
        absolute = urljoin(base, link) if base else link
        parts = urlsplit(absolute)
    except ValueError:
        return None
    if parts.scheme.lower() not in URL_SCHEMES or not parts.hostname:
        return None
    return urlunsplit(parts)


def normalise_link(link: str) -> str:
    """Same article, same key: scheme, 'www.', fragment, trailing slash and
    utm_* tracking parameters ignored."""
    parts = urlsplit(link)
    host = (parts.hostname or "").lower()
    if host.startswith("www."):
        host = host[4:]
    query = urlencode(
        [
            (k, v)
            for k, v in parse_qsl(parts.query, keep_blank_values=True)
            if not k.lower().startswith("utm_")
        ]
    )
    return f"{host}{parts.path.rstrip('/')}" + (f"?{query}" if query else "")


def fold(text: str) -> str:
    """Lower case, ё as е, accents and punctuation gone, spaces collapsed:
    the form that titles and keywords are compared in."""
    text = unicodedata.normalize("NFKC", text).lower().replace("ё", "е")
    text = re.sub(r"[^\w\s]", " ", text)
    return " ".join(text.split())


def normalise_title(title: str) -> str:
    return fold(title)
