"""Every event of the site, read once per build: the Markdown files and the
CSV schedules, checked against the regions and campaigns. Plain functions
for `invoke check` (``check``) and the publish step (``sample_events``)
too, so they see exactly what the build sees."""

from __future__ import annotations

from pathlib import Path

from sitekit.core import urls
from sitekit.core.errors import ContentError
from sitekit.core.site import SiteSettings, build_context

from .eventfiles import load_event_files, markdown_renderer
from .model import Catalog
from .references import load_campaigns, load_regions
from .schedules import load_schedule


def load_catalog(
    site: SiteSettings, markdown_config: dict | None = None
) -> tuple[Catalog, list[ContentError]]:
    """Every event that is right, sorted by start, and every problem found."""
    errors: list[ContentError] = []
    langs = site.codes
    regions = _read(load_regions, site.data_dir, langs, errors)
    campaigns = _read(load_campaigns, site.content, langs, errors)
    md = markdown_renderer(markdown_config)
    events = load_event_files(site.content, langs, regions, campaigns, site.timezone, md, errors)
    folder = site.content / "schedules"
    for path in sorted(folder.glob("*.csv")) if folder.is_dir() else ():
        events += load_schedule(path, langs, regions, campaigns, site.timezone, errors)
    by_slug = {}
    for event in events:
        if event.slug in by_slug:
            errors.append(
                ContentError(
                    event.source,
                    "id",
                    f"the address {urls.path('event', slug=event.slug)} is also used by "
                    f"{by_slug[event.slug].source}; rename one",
                    line=event.line,
                )
            )
            continue
        by_slug[event.slug] = event
    ordered = sorted(by_slug.values(), key=lambda e: (e.begins_at, e.slug))
    return Catalog(ordered, regions or {}, campaigns or {}), errors


def _read(load, folder, langs, errors):
    """What ``load`` reads, or None (and the error) when the file is wrong."""
    try:
        return load(folder, langs)
    except ContentError as exc:
        errors.append(exc)
        return None


def site_catalog(settings: dict) -> tuple[Catalog, list[ContentError]]:
    """The build's catalog from a Pelican settings dict: read once per build."""
    ctx = build_context(settings)
    return ctx.once("events.catalog", lambda: load_catalog(ctx.site, settings.get("MARKDOWN")))


def check(settings: dict) -> list[ContentError]:
    """For `invoke check` (CONTENT_VALIDATORS): the build's own validation."""
    return site_catalog(settings)[1]


def sample_events(settings: dict) -> list[tuple[Path, int | None]]:
    """Every example event (``Sample: yes``, or a schedule row whose
    ``sample`` column says yes): each Markdown file of it with None, or the
    CSV schedule with the row's line. Publishing refuses while any is left."""
    found = []
    for event in site_catalog(settings)[0].events:
        if event.sample:
            found += [(path, None) for path in event.files] if event.files else [(event.source, event.line)]
    return found
