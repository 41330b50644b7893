"""Rendering news from the cache: no network here, ever.

Items are sanitised again (the cache is a file anyone could edit), dropped
when too old, deduplicated (same link, or same title from two feeds), and
matched to pages by keywords and tags in the page's language.

Keywords match at the start of a word, so 'torture' also finds 'tortured'
and 'пытк' finds 'пытки', 'пыток', 'пытках'. In Russian, each word of five
letters or more loses its last vowel(s) before matching: 'пытки' finds
'пыток', and 'жестокое обращение' finds 'жестокого обращения'.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from markupsafe import Markup

from .clean import (
    TITLE_MAX_CHARS,
    fold,
    normalise_link,
    normalise_title,
    safe_link,
    shorten,
    summary_html,
    to_text,
)
from .dates import DateError, from_iso
from .feeds import Feed

_RU_ENDING = re.compile(r"[аеиоуыэюяйь]{1,2}$")


@dataclass(frozen=True)
class NewsItem:
    title: str
    link: str
    summary: Markup  # sanitised HTML, safe to output
    source: str  # the feed's name
    lang: str  # the language it is written in
    date: datetime | None  # as published; None when the feed gave none
    seen: datetime | None  # when it was first fetched
    sample: bool = False  # from the bundled sample cache
    text: str = ""  # folded title + summary, for matching

    @property
    def sort_key(self) -> datetime:
        return self.date or self.seen or datetime.min.replace(tzinfo=UTC)


def _when(value) -> datetime | None:
    """A cached date, or None (load_cache has already warned about bad ones)."""
    if not value:
        return None
    try:
        return from_iso(value)
    except DateError:
        return None


def keyword_stem(keyword: str, lang: str) -> str:
    words = fold(keyword).split()
    if lang == "ru":
        words = [_RU_ENDING.sub("", w) if len(w) >= 5 else w for w in words]
    return " ".join(words)


@lru_cache(maxsize=512)
def keyword_pattern(keywords: tuple[str, ...], lang: str) -> re.Pattern | None:
    stems = sorted({keyword_stem(k, lang) for k in keywords if k and fold(k)}, key=len, reverse=True)
    if not stems:
        return None
    # Each word of a keyword is the start of a word in the text.
    alternatives = "|".join(r"\w*\s+".join(map(re.escape, s.split())) for s in stems)
    return re.compile(rf"(?<!\w)(?:{alternatives})")


def matches(item: NewsItem, keywords, lang: str) -> bool:
    pattern = keyword_pattern(tuple(keywords), lang)
    return bool(pattern and pattern.search(item.text))


def collect_items(
    feeds: list[Feed],
    cache: dict,
    lang: str,
    *,
    now: datetime | None = None,
    max_age_days: float = 365,
    tz=UTC,
) -> list[NewsItem]:
    """Every usable item for a language's pages, newest first, without
    duplicates. Feeds no longer in feeds.yml are ignored; a feed's keywords
    (when it has any) must match. Dates are converted to ``tz``."""
    now = now or datetime.now(UTC)
    oldest = now - timedelta(days=max_age_days)
    states = cache.get("feeds", {})
    items: list[NewsItem] = []
    for feed in feeds:
        if lang not in feed.languages:
            continue
        state = states.get(feed.url) or {}
        for raw in state.get("items") or []:
            if not isinstance(raw, dict):
                continue
            title = shorten(to_text(str(raw.get("title") or "")), TITLE_MAX_CHARS)
            link = safe_link(raw.get("link"))
            if not title or not link:
                continue
            date = _when(raw.get("published"))
            date = date.astimezone(tz) if date else None  # shown in the site's time zone
            seen = _when(raw.get("seen"))
            if (date or seen or now) < oldest:
                continue
            summary = summary_html(str(raw.get("summary") or ""))
            item = NewsItem(
                title,
                link,
                Markup(summary),
                feed.name,
                feed.written_in,
                date,
                seen,
                bool(raw.get("sample") or state.get("sample")),
                fold(f"{title} {to_text(summary)}"),
            )
            if feed.keywords and not matches(item, feed.keywords, feed.written_in):
                continue
            items.append(item)
    items.sort(key=lambda i: i.sort_key, reverse=True)
    return dedupe(items)


def dedupe(items: list[NewsItem]) -> list[NewsItem]:
    """Keep the first of items sharing a link or a normalised title."""
    links, titles, kept = set(), set(), []
    for item in items:
        link, title = normalise_link(item.link), normalise_title(item.title)
        if link in links or (title and title in titles):
            continue
        links.add(link)
        titles.add(title)
        kept.append(item)
    return kept


def topic_items(items: list[NewsItem], keywords, lang: str, limit: int) -> list[NewsItem]:
    """The news page: items that match the site's topic keywords."""
    return [item for item in items if matches(item, keywords, lang)][:limit]


def page_keywords(page) -> list[str]:
    """A page's `Keywords:` (comma-separated) and `Tags:` front matter."""
    words: list[str] = []
    raw = getattr(page, "keywords", None)
    if isinstance(raw, str):
        words += [w.strip() for w in raw.split(",") if w.strip()]
    elif isinstance(raw, (list, tuple)):
        words += [str(w).strip() for w in raw if str(w).strip()]
    for tag in getattr(page, "tags", None) or []:
        name = getattr(tag, "name", str(tag)).strip()
        if name:
            words.append(name)
    return words


def related_items(items: list[NewsItem], keywords, lang: str, limit: int) -> list[NewsItem]:
    if not keywords or limit <= 0:
        return []
    return [item for item in items if matches(item, keywords, lang)][:limit]
