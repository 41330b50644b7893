"""One event as a page in one language shows it: texts with their
fallbacks, date and time in the language (Babel), region and campaign
names, and whether it is over by the build's clock."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from babel import Locale
from babel.dates import format_date, format_skeleton, format_time, get_timezone_gmt, get_timezone_location

from sitekit.core import urls

from . import jsonld
from .model import Catalog, Event


def when_text(event: Event, lang: str) -> tuple[str, str]:
    """(date and time, timezone) in ``lang`` with Babel: the timezone is named
    by its city and offset, as 'Bishkek, GMT+06:00'."""
    if event.all_day:
        if event.end is None or event.end == event.start:
            return format_date(event.start, "full", locale=lang), ""
        return (
            f"{format_date(event.start, 'long', locale=lang)} – {format_date(event.end, 'long', locale=lang)}"
        ), ""
    start, end = event.start, event.end
    zone_text = (
        f"{get_timezone_location(event.zone, locale=lang, return_city=True)}, "
        f"{get_timezone_gmt(start, locale=lang)}"
    )
    day = format_date(start, "full", locale=lang)
    begin = format_time(start, "short", locale=lang)
    if end is None:
        return f"{day}, {begin}", zone_text
    if end.date() == start.date():
        return f"{day}, {begin}–{format_time(end, 'short', locale=lang)}", zone_text
    return (
        f"{day}, {begin} – {format_date(end, 'full', locale=lang)}, {format_time(end, 'short', locale=lang)}"
    ), zone_text


def month_label(moment: datetime, lang: str) -> str:
    return format_skeleton("yMMMM", moment, locale=lang)


@dataclass
class EventView:
    """One event as a page in one language shows it."""

    event: Event
    slug: str
    url: str  # its address below the language root (sitekit.core.urls)
    title: str
    summary: str
    venue: str
    address: str
    organiser: str
    description: str
    description_html: bool
    fallback: dict
    status: str
    sample: bool
    region: str | None
    region_name: str
    campaign: str | None
    campaign_name: str
    online: str | None
    when: str
    zone: str
    start_iso: str
    end_iso: str
    month: str
    month_name: str
    past: bool
    jsonld: str = ""  # none for examples: search engines must not list them
    fallback_langs: list = field(default_factory=list)
    fallback_names: list = field(default_factory=list)

    def lang_of(self, name: str):
        """The language a text field is shown in when it fell back, else None."""
        return self.fallback.get(name)


def make_view(event: Event, lang: str, catalog: Catalog, now: datetime, absolute_lang_root: str) -> EventView:
    text, fallback = event.text(lang)
    when, zone = when_text(event, lang)
    region_name = catalog.region_name(event.region, lang)
    campaign = catalog.campaigns.get(event.campaign) if event.campaign else None
    address = urls.path("event", slug=event.slug)
    view = EventView(
        event=event,
        slug=event.slug,
        url=address,
        title=text.title,
        summary=text.summary,
        venue=text.venue,
        address=text.address,
        organiser=text.organiser,
        description=text.description,
        description_html=event.kind == "file",
        fallback=fallback,
        status=event.status,
        sample=event.sample,
        region=event.region,
        region_name=region_name,
        campaign=event.campaign,
        campaign_name=campaign.name(lang) if campaign else "",
        online=event.online,
        when=when,
        zone=zone,
        start_iso=event.begins_at.isoformat(),
        end_iso=event.ends_at.isoformat(),
        month=event.begins_at.strftime("%Y-%m"),
        month_name=month_label(event.begins_at, lang),
        past=event.ends_at <= now,
        fallback_langs=sorted(set(fallback.values())),
    )
    names = Locale.parse(lang).languages
    view.fallback_names = [names.get(code, code) for code in view.fallback_langs]
    if not event.sample:
        data = jsonld.event_data(event, lang, url=f"{absolute_lang_root}/{address}", region_name=region_name)
        view.jsonld = jsonld.dumps(data)
    return view


def group_by_month(views: list[EventView]) -> list[dict]:
    groups: list[dict] = []
    for view in views:
        if not groups or groups[-1]["month"] != view.month:
            groups.append({"month": view.month, "name": view.month_name, "events": []})
        groups[-1]["events"].append(view)
    return groups


def split(views: list[EventView]) -> tuple[list[dict], list[dict]]:
    """Upcoming (soonest first) and past (most recent first), by month."""
    upcoming = [v for v in views if not v.past]
    past = sorted((v for v in views if v.past), key=lambda v: v.event.begins_at, reverse=True)
    return group_by_month(upcoming), group_by_month(past)
