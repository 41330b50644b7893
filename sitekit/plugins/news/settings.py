"""The news plugin's settings: every NEWS_* setting with its default, in
one place, read once into a typed object. pelicanconf.py sets only what a
site changes (the feeds file, the cache, the topic keywords); docs/news.md
lists them all."""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path

DEFAULTS = {
    "NEWS_FEEDS_PATH": "content/data/feeds.yml",
    "NEWS_CACHE_PATH": "content/data/news-cache.json",
    "NEWS_FETCH_ON_PUBLISH": False,
    "NEWS_CONNECT_TIMEOUT": 5.0,  # seconds, per feed
    "NEWS_READ_TIMEOUT": 10.0,  # seconds without a byte, per feed
    "NEWS_FEED_TIMEOUT": 30.0,  # seconds for one whole feed, from its turn
    "NEWS_DEADLINE": 60.0,  # seconds for all feeds together
    "NEWS_CONCURRENCY": 50,  # feeds fetched at a time, each on one connection
    "NEWS_MAX_BYTES": 5 * 1024 * 1024,  # per feed, counted after decompression
    "NEWS_MAX_REDIRECTS": 5,
    "NEWS_MAX_ITEMS_PER_FEED": 50,  # kept in the cache per feed
    "NEWS_MAX_AGE_DAYS": 365.0,  # older items are neither kept nor shown
    "NEWS_MAX_ITEMS": 50,  # on a language's news page
    "NEWS_RELATED_COUNT": 3,  # under a page, matched by its Keywords/Tags
    "NEWS_HOME_COUNT": 3,  # on the home page
    "NEWS_TOPIC_KEYWORDS": {},  # language -> words the news page's items must mention
}


@dataclass
class FetchOptions:
    """What fetching needs (also made directly by tests and the benchmark)."""

    connect_timeout: float = DEFAULTS["NEWS_CONNECT_TIMEOUT"]
    read_timeout: float = DEFAULTS["NEWS_READ_TIMEOUT"]
    feed_timeout: float = DEFAULTS["NEWS_FEED_TIMEOUT"]
    deadline: float = DEFAULTS["NEWS_DEADLINE"]
    max_bytes: int = DEFAULTS["NEWS_MAX_BYTES"]
    max_redirects: int = DEFAULTS["NEWS_MAX_REDIRECTS"]
    max_items_per_feed: int = DEFAULTS["NEWS_MAX_ITEMS_PER_FEED"]
    max_age_days: float = DEFAULTS["NEWS_MAX_AGE_DAYS"]
    concurrency: int = DEFAULTS["NEWS_CONCURRENCY"]

    @classmethod
    def from_settings(cls, settings: dict) -> FetchOptions:
        return news_settings(settings).fetch


@dataclass(frozen=True)
class NewsSettings:
    feeds_path: Path
    cache_path: Path
    fetch_on_publish: bool
    max_items: int
    related_count: int
    home_count: int
    topic_keywords: dict
    fetch: FetchOptions


def news_settings(settings: dict) -> NewsSettings:
    get = lambda name: settings.get(name, DEFAULTS[name])  # noqa: E731
    fetch = FetchOptions(
        **{f.name: type(f.default)(get(f"NEWS_{f.name.upper()}")) for f in fields(FetchOptions)}
    )
    return NewsSettings(
        feeds_path=Path(get("NEWS_FEEDS_PATH")),
        cache_path=Path(get("NEWS_CACHE_PATH")),
        fetch_on_publish=bool(get("NEWS_FETCH_ON_PUBLISH")),
        max_items=int(get("NEWS_MAX_ITEMS")),
        related_count=int(get("NEWS_RELATED_COUNT")),
        home_count=int(get("NEWS_HOME_COUNT")),
        topic_keywords=dict(get("NEWS_TOPIC_KEYWORDS")),
        fetch=fetch,
    )
