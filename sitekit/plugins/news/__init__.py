"""Pelican glue for news from RSS/Atom feeds; the logic is in feeds.py,
fetch.py (the network), cache.py, clean.py, render.py and site.py."""

from pelican import signals

from . import site

prepare = site.prepare  # whole-site work, before the language runs (sitekit.build)


def register():
    signals.initialized.connect(site.fetch_if_asked)
    signals.generator_init.connect(site.install_globals)
    signals.get_generators.connect(site.get_generators)
