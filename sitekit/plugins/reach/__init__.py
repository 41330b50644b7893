"""Pelican glue for reach: link previews (Open Graph tags and share
images), share links, event posters and the rights card to print, and
robots.txt. The logic is in images.py, links.py, printed.py and
generator.py."""

from pelican import signals

from .generator import ReachGenerator


def _get_generators(pelican):
    return ReachGenerator


def register():
    signals.get_generators.connect(_get_generators)
