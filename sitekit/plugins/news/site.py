"""What the news plugin does in a build, as plain functions and one
Generator; ``__init__.register`` connects them to Pelican's signals.

- ``fetch_if_asked(pelican)``/``prepare(settings)``: only when
  NEWS_FETCH_ON_PUBLISH is true, fetch every feed into the cache, once per
  build (the build driver calls ``prepare`` before the language runs).
- ``install_globals(generator)``: templates get ``news_related(page)`` and
  ``news_latest(n)`` in the run's language.
- ``NewsGenerator``: writes the language's news page (news/index.html).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from pelican.generators import Generator

from sitekit.core import urls
from sitekit.core.alternates import alternates
from sitekit.core.site import build_context

from . import render
from .cache import load_cache
from .feeds import load_feeds
from .settings import NewsSettings, news_settings

log = logging.getLogger(__name__)


def news(settings) -> NewsSettings:
    """The news settings, read once per build."""
    return build_context(settings).once("news-settings", lambda: news_settings(settings))


def feeds_for(settings):
    """The feeds of NEWS_FEEDS_PATH; a mistake in that file stops the build
    (ContentError names file, line and field)."""
    return load_feeds(news(settings).feeds_path, list(build_context(settings).site.codes))


def fetch_if_asked(pelican) -> None:
    fetch_once(pelican.settings)


def fetch_once(settings) -> None:
    """Fetch every feed into the cache when NEWS_FETCH_ON_PUBLISH is true:
    once per build, before the cache is read (the build driver does it
    before the language runs; a run of its own does it at start)."""
    if not news(settings).fetch_on_publish:
        return
    build_context(settings).once("news-fetch", lambda: _fetch(settings))


def _fetch(settings) -> bool:
    from .fetch import fetch_feeds

    results = fetch_feeds(feeds_for(settings), news(settings).cache_path, news(settings).fetch)
    for result in results:
        if result.status != "failed":
            log.info(result.line())
    return True


def prepare(settings) -> None:
    """Whole-site work, before the language runs (sitekit.build): fetch if
    asked, then read the feeds file and the cache once."""
    fetch_once(settings)
    news_sources(settings)


def news_sources(settings):
    """(feeds, cache), read once per build."""
    return build_context(settings).once(
        "news-sources",
        lambda: (feeds_for(settings), load_cache(news(settings).cache_path)),
    )


def news_items(settings) -> list[render.NewsItem]:
    """Every item for this run's language (sanitised, deduplicated, newest
    first): the feeds file and the cache are read once per build, the items
    made once per language."""
    ctx = build_context(settings)
    lang = settings["DEFAULT_LANG"]
    now = ctx.site.news_now or datetime.now(UTC)
    if isinstance(now, str):
        now = datetime.fromisoformat(now)
    feeds, cache = news_sources(settings)
    return ctx.once(
        f"news-items-{lang}",
        lambda: render.collect_items(
            feeds,
            cache,
            lang,
            now=now,
            tz=ZoneInfo(ctx.site.timezone),
            max_age_days=news(settings).fetch.max_age_days,
        ),
    )


def topic_keywords(settings) -> list[str]:
    return list(news(settings).topic_keywords.get(settings["DEFAULT_LANG"], []))


def page_news(settings) -> list[render.NewsItem]:
    """The language's news page: items matching the site's topic keywords."""
    return render.topic_items(
        news_items(settings),
        topic_keywords(settings),
        settings["DEFAULT_LANG"],
        news(settings).max_items,
    )


def install_globals(generator) -> None:
    settings = generator.settings
    lang = settings["DEFAULT_LANG"]

    def related(page, limit=None):
        limit = news(settings).related_count if limit is None else int(limit)
        return render.related_items(news_items(settings), render.page_keywords(page), lang, limit)

    def latest(limit=None):
        limit = news(settings).home_count if limit is None else int(limit)
        return page_news(settings)[:limit]

    generator.env.globals["news_related"] = related
    generator.env.globals["news_latest"] = latest
    generator.env.globals["NEWS_SAVE_AS"] = urls.save_as("news")


class NewsGenerator(Generator):
    """Writes news/index.html in every language's run."""

    # Shows no page or post: the dev server's partial rebuild (sitekit/live.py)
    # need not run it when one changes.
    independent_of_content = True

    def generate_context(self):
        self.items = page_news(self.settings)

    def generate_output(self, writer):
        settings = self.settings
        url = urls.path("news")
        alternate_links = alternates(settings, {}, url=url, key=None)
        writer.write_file(
            urls.save_as("news"),
            self.get_template("news"),
            self.context,
            relative_urls=settings["RELATIVE_URLS"],
            url=url,
            news_items=self.items,
            news_sample=any(item.sample for item in self.items),
            alternate_links=alternate_links,
        )


def get_generators(pelican):
    return NewsGenerator
