"""Events: Markdown files and CSV schedules made into pages and calendars
in every language.

- ``model.py``: Event, EventText, Campaign, Catalog;
- ``eventfiles.py`` (Markdown) and ``schedules.py`` (CSV): the two sources;
- ``references.py``: regions and campaigns; ``checks.py``: rules across fields and files;
- ``catalog.py``: everything read once per build;
- ``views.py``, ``calendars.py``, ``jsonld.py``: what pages and calendars show;
- ``generator.py``: the Pelican generator and the paths it writes.

For the rest of the kit: ``check(settings)`` (`invoke check`),
``declared_paths(settings)`` and ``sample_events(settings)`` (publishing)."""

from pelican import signals

from .catalog import check, sample_events, site_catalog
from .generator import EventsGenerator, declared_paths

__all__ = ["check", "declared_paths", "prepare", "register", "sample_events", "samples"]


def prepare(settings):
    """Whole-site work, before the language runs (sitekit.build): every
    event read and checked once; the runs raise the first error."""
    site_catalog(settings)


def samples(settings: dict) -> list[tuple]:
    """For `invoke publish` (sitekit.exports): every example event."""
    return [(path, row, "example event (Sample: yes)") for path, row in sample_events(settings)]


def _get_generators(pelican):
    return EventsGenerator


def register():
    signals.get_generators.connect(_get_generators)
