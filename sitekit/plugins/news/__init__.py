"""Pelican glue for news from RSS/Atom feeds; the logic is in feeds.py,
fetch.py (the network), cache.py, clean.py, render.py and site.py."""

from pelican import signals

from . import site


def register():
    signals.initialized.connect(site.fetch_if_asked)
    signals.generator_init.connect(site.install_globals)
    signals.get_generators.connect(site.get_generators)
