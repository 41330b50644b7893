"""Writes the events pages and calendars of one language's run.

Event pages are not Pelican pages: this generator renders them through the
run's Jinja environment (so ``_()`` and the Babel filters work) and passes
``alternate_links`` for hreflang and the language switcher."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from babel import Locale
from babel.dates import format_date, format_skeleton, format_time, get_timezone_gmt, get_timezone_location
from pelican.generators import Generator

from sitekit.build import absolute_root, once_per_build
from sitekit.plugins.multilang import multilang

from . import calendars, jsonld
from .model import Catalog, Event, load_events

LISTING = "events/"
ICS_ALL = "calendar/all.ics"


def event_url(slug: str) -> str:
    return f"events/{slug}/"


def region_url(code: str) -> str:
    return f"events/region/{code}/"


def campaign_url(code: str) -> str:
    return f"events/campaign/{code}/"


def event_ics(slug: str) -> str:
    return f"calendar/event/{slug}.ics"


def region_ics(code: str) -> str:
    return f"calendar/region/{code}.ics"


def campaign_ics(code: str) -> str:
    return f"calendar/campaign/{code}.ics"


def build_now(settings) -> datetime:
    """The build's idea of now; EVENTS_NOW (ISO, with offset) fixes it for tests."""
    value = settings.get("EVENTS_NOW")
    if value:
        moment = datetime.fromisoformat(str(value))
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return datetime.now(UTC)


# ---------------------------------------------------------------- display


def when_text(event: Event, lang: str) -> tuple[str, str]:
    """(date and time, timezone) in ``lang`` with Babel: the timezone is named
    by its city and offset, as 'Bishkek, GMT+06:00'."""
    zone = event.zone
    if event.all_day:
        if event.end is None or event.end == event.start:
            return format_date(event.start, "full", locale=lang), ""
        return (
            f"{format_date(event.start, 'long', locale=lang)} – {format_date(event.end, 'long', locale=lang)}"
        ), ""
    start, end = event.start, event.end
    zone_text = (
        f"{get_timezone_location(zone, locale=lang, return_city=True)}, "
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
    url: str
    title: str
    summary: str
    venue: str
    address: str
    organiser: str
    description: str
    description_html: bool
    fallback: dict
    status: str
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
    ics_url: str
    past: bool
    jsonld: str = ""
    fallback_langs: list = field(default_factory=list)
    fallback_names: list = field(default_factory=list)

    def lang_of(self, name: str):
        """The language a text field is shown in when it fell back, else None."""
        return self.fallback.get(name)


def make_view(event: Event, lang: str, catalog: Catalog, now: datetime, absolute_lang_root: str) -> EventView:
    text, fallback = event.text(lang)
    when, zone = when_text(event, lang)
    region_name = catalog.regions.get(event.region, {}).get(lang, "") if event.region else ""
    campaign = catalog.campaigns.get(event.campaign) if event.campaign else None
    url = event_url(event.slug)
    view = EventView(
        event=event,
        slug=event.slug,
        url=url,
        title=text.title,
        summary=text.summary,
        venue=text.venue,
        address=text.address,
        organiser=text.organiser,
        description=text.description,
        description_html=event.kind == "file",
        fallback=fallback,
        status=event.status,
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
        ics_url=event_ics(event.slug),
        past=event.ends_at <= now,
        fallback_langs=sorted(set(fallback.values())),
    )
    names = Locale.parse(lang).languages
    view.fallback_names = [names.get(code, code) for code in view.fallback_langs]
    view.jsonld = jsonld.dumps(
        jsonld.event_data(event, lang, url=f"{absolute_lang_root}/{url}", region_name=region_name)
    )
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


# ---------------------------------------------------------------- generator


class EventsGenerator(Generator):
    """Reads every event once per build and writes that language's
    listings, event pages and calendars."""

    def generate_context(self):
        settings = self.settings
        self.lang = settings["DEFAULT_LANG"]
        langs = multilang.language_codes(settings)
        # Every language reads the same files: once per build (raises ContentError).
        self.catalog = once_per_build(
            settings, "events", lambda: load_events(settings["PATH"], langs, settings)
        )
        self.now = build_now(settings)
        root = absolute_root(settings)
        self.host = calendars.host_of(root)
        self.absolute_lang_root = multilang.language_root(root, self.lang, settings["MAIN_LANG"])
        self.events = [e for e in self.catalog.events if e.exists_in(self.lang)]
        self.views = [
            make_view(e, self.lang, self.catalog, self.now, self.absolute_lang_root) for e in self.events
        ]
        upcoming = [v for v in self.views if not v.past]
        # The home page shows the next three; three more are sent hidden so
        # events.js can fill in when the first ones are over by reading time.
        self.context["events_home"] = upcoming[:6]
        self.context["events_listing_url"] = LISTING
        self.context["events_enabled"] = True

    # -- helpers

    def _alternates(self, url: str, key: str | None):
        return multilang.alternates(self.settings, self.settings["TRANSLATION_INDEX"], url=url, key=key)

    def absolute(self, url: str) -> str:
        return f"{self.absolute_lang_root}/{url}"

    def _status_prefix(self):
        module = self.env.get_template("partials/event_macros.html").module
        labels = {s: str(module.status_prefix(s)).strip() for s in ("scheduled", "cancelled", "postponed")}
        return lambda event: f"{labels[event.status]} " if labels[event.status] else ""

    def _write_ics(self, name: str, events: list[Event], title: str, cal_id: str):
        data = calendars.calendar(
            events,
            self.lang,
            name=title,
            cal_id=cal_id,
            host=self.host,
            page_url=lambda e: self.absolute(event_url(e.slug)),
            region_name=lambda e: (
                self.catalog.regions.get(e.region, {}).get(self.lang, "") if e.region else ""
            ),
            status_prefix=self.status_prefix,
        )
        path = Path(self.output_path) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)

    def _listing(self, writer, template, url, views, **extra):
        upcoming, past = split(views)
        ics = extra.pop("ics")
        writer.write_file(
            url + "index.html",
            self.get_template(template),
            self.context,
            alternate_links=self._alternates(url, None),
            upcoming=upcoming,
            past=past,
            events_count=len(views),
            ics_url=ics,
            webcal_url=calendars.webcal(self.absolute(ics)),
            campaigns=self.campaign_links(),
            regions=self.region_links(),
            **extra,
        )

    def campaign_links(self):
        return [
            {"code": c.code, "name": c.name(self.lang), "url": campaign_url(c.code)}
            for c in self.catalog.campaigns.values()
        ]

    def region_links(self):
        return [
            {"code": code, "name": names.get(self.lang) or code, "url": region_url(code)}
            for code, names in self.catalog.regions.items()
        ]

    # -- output

    def generate_output(self, writer):
        lang = self.lang
        self.status_prefix = self._status_prefix()
        site = self.settings.get("SITENAME", "")
        self._listing(writer, "events", LISTING, self.views, ics=ICS_ALL, kind="all")
        self._write_ics(ICS_ALL, self.events, site, "all")

        for code, names in self.catalog.regions.items():
            views = [v for v in self.views if v.region == code]
            name = names.get(lang) or code
            self._listing(
                writer,
                "events",
                region_url(code),
                views,
                ics=region_ics(code),
                kind="region",
                region_name=name,
            )
            self._write_ics(region_ics(code), [v.event for v in views], f"{site}: {name}", f"region-{code}")

        for campaign in self.catalog.campaigns.values():
            views = [v for v in self.views if v.campaign == campaign.code]
            name = campaign.name(lang)
            self._listing(
                writer,
                "events",
                campaign_url(campaign.code),
                views,
                ics=campaign_ics(campaign.code),
                kind="campaign",
                campaign_name=name,
                campaign_summary=campaign.summary(lang),
            )
            self._write_ics(
                campaign_ics(campaign.code),
                [v.event for v in views],
                f"{site}: {name}",
                f"campaign-{campaign.code}",
            )

        template = self.get_template("event")
        for view in self.views:
            event = view.event
            key = f"events/{event.slug}.md" if event.kind == "file" else None
            ics = event_ics(event.slug)
            writer.write_file(
                view.url + "index.html",
                template,
                self.context,
                alternate_links=self._alternates(view.url, key),
                event=view,
                ics_url=ics,
                region_ics_url=region_ics(event.region) if event.region else None,
                campaign_ics_url=campaign_ics(event.campaign) if event.campaign else None,
                webcal=lambda u: calendars.webcal(self.absolute(u)),
            )
            self._write_ics(ics, [event], view.title, f"event-{event.slug}")
