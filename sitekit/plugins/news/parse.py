"""Reading a fetched feed's bytes into items: text decoded by
``charset.decode_feed``, parsed by feedparser (bytes, never a URL or a file
name, with the final URL as the base for relative links), each item's
title, link, summary and date checked. A bad item is a warning naming the
feed, the item and the field; a feed with no usable entries is a
``FeedFailure`` saying why."""

from __future__ import annotations

import io
import logging
from datetime import UTC, datetime, timedelta

import feedparser

from . import dates
from .charset import REPLACEMENT, decode_feed
from .clean import TITLE_MAX_CHARS, safe_link, sanitize_html, shorten, to_text

log = logging.getLogger("sitekit.plugins.news.fetch")  # one logger for fetching and parsing
dates.register()  # Russian month names and dd.mm.yyyy in feeds


class FeedFailure(Exception):
    """A reason, in words, why a feed gave nothing usable."""


# feedparser's names for an entry's dates, as warnings name them (RSS calls
# the first one pubDate).
_DATE_FIELDS = (("published", "published (pubDate)"), ("updated", "updated"), ("created", "created"))


def _entry_date(entry, now: datetime, problem) -> datetime | None:
    """The first of an entry's dates that exists; ``problem(field, text)`` is
    called for each one that does not."""
    for key, field in _DATE_FIELDS:
        # dict.get: FeedParserDict.get("updated") gives "published" when an
        # entry has no "updated", and the same bad date would be reported twice.
        text = dict.get(entry, key)
        if not text:
            continue
        try:
            value = dates.feed_date(text, dict.get(entry, f"{key}_parsed"))
        except dates.DateError as exc:
            problem(field, f"{exc}; date ignored")
            continue
        if value > now + timedelta(days=1):
            problem(field, f"'{text}' is in the future; date ignored")
            continue
        return value
    return None


def parse_feed(
    body: bytes, content_type: str, url: str, now: datetime | None = None, name: str = ""
) -> list[dict]:
    """Normalised items of a feed body. ``url`` is the final URL (base for
    relative links), ``name`` the feed's name for warnings. Raises
    FeedFailure when no entries came out; logs a warning for each problem
    with the text's charset and for each bad field of an item."""
    now = now or datetime.now(UTC)
    where = f"news: feed '{name or url}' ({url})"
    decoded = decode_feed(body, content_type)
    kind = (content_type or "").split(";")[0].strip()
    # Handed on as UTF-8, and said so: the text's XML declaration names UTF-8 now.
    headers = {
        "content-location": url,
        "content-type": f"{kind or 'application/xml'}; charset=utf-8",
    }
    # A stream, never bytes or str: feedparser would treat a short string as
    # a URL to fetch or a file name to open.
    parsed = feedparser.parse(io.BytesIO(decoded.text.encode("utf-8")), response_headers=headers)
    entries = parsed.get("entries") or []
    if not entries:
        problem = parsed.get("bozo_exception")
        detail = f"; parser said: {str(problem)[:120]}" if parsed.get("bozo") and problem else ""
        raise FeedFailure(f"not a feed: no entries found ({kind or 'no content type'}{detail})")
    if decoded.problem:
        log.warning("%s: %s", where, decoded.problem)
    items = []
    for number, entry in enumerate(entries, 1):
        title = shorten(to_text(entry.get("title", "")), TITLE_MAX_CHARS)
        link = safe_link(entry.get("link"), url)
        if not title or not link:
            continue
        summary = entry.get("summary") or ""
        if not summary and entry.get("content"):
            summary = entry["content"][0].get("value", "")
        summary = sanitize_html(summary)

        def problem(field, what, number=number, title=title):
            log.warning("%s: item %d ('%s'): field '%s': %s", where, number, title[:60], field, what)

        published = _entry_date(entry, now, problem)
        if decoded.replaced:
            for field, text in (("title", title), ("summary", summary), ("link", link)):
                if REPLACEMENT in text:
                    problem(field, f"bytes that are not {decoded.encoding} text shown as {REPLACEMENT}")
        items.append(
            {
                "title": title,
                "link": link,
                "summary": summary,
                "published": published.isoformat() if published else None,
                "id": str(entry.get("id") or link)[:500],
            }
        )
    if not items:
        raise FeedFailure("not a feed: entries have no title or no http(s) link")
    return items
