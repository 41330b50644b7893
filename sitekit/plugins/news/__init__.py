"""Pelican glue for news from RSS/Atom feeds; the logic is in feeds.py,
fetch.py (the network), cache.py, clean.py, render.py and site.py."""

from pelican import signals

from . import site
from .cache import load_cache
from .settings import news_settings


def samples(settings: dict) -> list[tuple]:
    """For `invoke publish` (sitekit.exports): the bundled example items,
    until `invoke news` (or NEWS_FETCH_ON_PUBLISH) replaces them."""
    path = news_settings(settings).cache_path
    cache = load_cache(path, warn=False)
    count = sum(
        1 for state in cache["feeds"].values() for item in state.get("items", []) if item.get("sample")
    )
    return (
        [(path, None, f"{count} example news item(s): run `invoke news` to fetch real ones")] if count else []
    )


prepare = site.prepare  # whole-site work, before the language runs (sitekit.build)


def register():
    signals.initialized.connect(site.fetch_if_asked)
    signals.generator_init.connect(site.install_globals)
    signals.get_generators.connect(site.get_generators)
