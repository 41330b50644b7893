"""Pelican glue for events; the logic is in model.py, calendars.py,
jsonld.py and generator.py."""

from pelican import signals

from .generator import EventsGenerator


def _get_generators(pelican):
    return EventsGenerator


def register():
    signals.get_generators.connect(_get_generators)
