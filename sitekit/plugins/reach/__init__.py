"""Pelican glue for reach: link previews (Open Graph tags and share
images), share links, the rights card to print, and robots.txt. The logic
is in images.py, links.py, printed.py and generator.py; its settings, with
their defaults, in settings.py. Event posters are the events plugin's.

For the rest of the kit: ``declared_paths(settings)`` (`invoke check`)."""

from pelican import signals

from .generator import ReachGenerator, declared_paths

__all__ = ["declared_paths", "register"]


def _get_generators(pelican):
    return ReachGenerator


def register():
    signals.get_generators.connect(_get_generators)
