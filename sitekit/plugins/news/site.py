"""What the news plugin does in a build, as plain functions and one
Generator; ``__init__.register`` connects them to Pelican's signals.

- ``fetch_if_asked(pelican)``: in the main language's run only, and only
  when NEWS_FETCH_ON_PUBLISH is true, fetch every feed into the cache.
- ``install_globals(generator)``: templates get ``news_related(page)`` and
  ``news_latest(n)`` in the run's language.
- ``NewsGenerator``: writes the language's news page (news/index.html).
"""

from __future__ import annotations

import logging
import os
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from pelican.generators import Generator

from sitekit.build import once_per_build

from . import render
from .cache import load_cache
from .feeds import load_feeds

log = logging.getLogger(__name__)

DEFAULTS = {
    "NEWS_FEEDS_PATH": "content/data/feeds.yml",
    "NEWS_CACHE_PATH": "content/data/news-cache.json",
    "NEWS_FETCH_ON_PUBLISH": False,
    "NEWS_URL": "news/",
    "NEWS_SAVE_AS": "news/index.html",
    "NEWS_MAX_AGE_DAYS": 365,
    "NEWS_MAX_ITEMS": 50,
    "NEWS_RELATED_COUNT": 3,
    "NEWS_HOME_COUNT": 3,
    "NEWS_TOPIC_KEYWORDS": {},
}


def setting(settings, name):
    return settings.get(name, DEFAULTS[name])


def language_codes(settings) -> list[str]:
    return [lang["code"] for lang in settings["LANGUAGES"]]


def feeds_for(settings):
    """The feeds of NEWS_FEEDS_PATH; a mistake in that file stops the build
    (ContentError names file, line and field)."""
    return load_feeds(Path(setting(settings, "NEWS_FEEDS_PATH")), language_codes(settings))


def fetch_if_asked(pelican) -> None:
    settings = pelican.settings
    if not setting(settings, "NEWS_FETCH_ON_PUBLISH"):
        return
    if settings.get("DEFAULT_LANG") != settings.get("MAIN_LANG", settings.get("DEFAULT_LANG")):
        return  # once per build, in the first (main language) run
    from .fetch import FetchOptions, fetch_feeds

    results = fetch_feeds(
        feeds_for(settings), Path(setting(settings, "NEWS_CACHE_PATH")), FetchOptions.from_settings(settings)
    )
    for result in results:
        if result.status != "failed":
            log.info(result.line())


_memo: dict = {}


def news_items(settings) -> list[render.NewsItem]:
    """Every item for this run's language (sanitised, deduplicated, newest
    first). Read once per language and cache file version."""
    lang = settings["DEFAULT_LANG"]
    feeds_path = Path(setting(settings, "NEWS_FEEDS_PATH"))
    cache_path = Path(setting(settings, "NEWS_CACHE_PATH"))
    now = settings.get("NEWS_NOW") or datetime.now(UTC)
    if isinstance(now, str):
        now = datetime.fromisoformat(now)

    def stamp(path):
        try:
            st = os.stat(path)
            return st.st_mtime_ns, st.st_size
        except OSError:
            return None

    key = (
        lang,
        str(feeds_path),
        stamp(feeds_path),
        str(cache_path),
        stamp(cache_path),
        now.date().isoformat(),
        setting(settings, "NEWS_MAX_AGE_DAYS"),
        tuple(language_codes(settings)),
    )
    if key not in _memo:
        feeds = feeds_for(settings)
        # Read (and checked, with its warnings) once per build, not per language.
        cache = once_per_build(
            settings, f"news-cache:{cache_path}:{stamp(cache_path)}", lambda: load_cache(cache_path)
        )
        _memo.clear()
        _memo[key] = render.collect_items(
            feeds,
            cache,
            lang,
            now=now,
            tz=ZoneInfo(settings.get("TIMEZONE") or "UTC"),
            max_age_days=float(setting(settings, "NEWS_MAX_AGE_DAYS")),
        )
    return _memo[key]


def topic_keywords(settings) -> list[str]:
    return list(setting(settings, "NEWS_TOPIC_KEYWORDS").get(settings["DEFAULT_LANG"], []))


def page_news(settings) -> list[render.NewsItem]:
    """The language's news page: items matching the site's topic keywords."""
    return render.topic_items(
        news_items(settings),
        topic_keywords(settings),
        settings["DEFAULT_LANG"],
        int(setting(settings, "NEWS_MAX_ITEMS")),
    )


def install_globals(generator) -> None:
    settings = generator.settings
    lang = settings["DEFAULT_LANG"]

    def related(page, limit=None):
        limit = int(setting(settings, "NEWS_RELATED_COUNT") if limit is None else limit)
        return render.related_items(news_items(settings), render.page_keywords(page), lang, limit)

    def latest(limit=None):
        limit = int(setting(settings, "NEWS_HOME_COUNT") if limit is None else limit)
        return page_news(settings)[:limit]

    generator.env.globals["news_related"] = related
    generator.env.globals["news_latest"] = latest
    generator.env.globals["NEWS_URL"] = setting(settings, "NEWS_URL")
    generator.env.globals["NEWS_SAVE_AS"] = setting(settings, "NEWS_SAVE_AS")


class NewsGenerator(Generator):
    """Writes news/index.html in every language's run."""

    def generate_context(self):
        self.items = page_news(self.settings)

    def generate_output(self, writer):
        from sitekit.plugins.multilang import multilang

        settings = self.settings
        url = setting(settings, "NEWS_URL")
        alternates = multilang.alternates(settings, settings.get("TRANSLATION_INDEX", {}), url=url, key=None)
        writer.write_file(
            setting(settings, "NEWS_SAVE_AS"),
            self.get_template("news"),
            self.context,
            relative_urls=settings["RELATIVE_URLS"],
            url=url,
            news_items=self.items,
            news_sample=any(item.sample for item in self.items),
            alternate_links=alternates,
        )


def get_generators(pelican):
    return NewsGenerator
