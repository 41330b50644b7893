"""Writes the events pages, their A4 posters and the calendars of one
language's run, at the addresses of sitekit.core.urls, and lists them
(``declared_paths``) for `invoke check`.

Event pages are not Pelican pages: this generator renders them through the
run's Jinja environment (so ``_()``, ``url()`` and the Babel filters work)
and passes ``alternate_links`` for hreflang and the language switcher."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from pelican.generators import Generator

from sitekit.core import urls
from sitekit.core.alternates import alternates
from sitekit.core.errors import ContentError
from sitekit.core.qr import qr_svg
from sitekit.core.site import build_context, run_language

from . import calendars
from .catalog import site_catalog
from .model import Catalog, Event
from .views import make_view, split


def build_now(events_now) -> datetime:
    """The build's idea of now; EVENTS_NOW (ISO, with offset) fixes it for tests."""
    if events_now:
        moment = datetime.fromisoformat(str(events_now))
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return datetime.now(UTC)


def paths_in(catalog: Catalog, lang: str) -> set[str]:
    """Every address below ``lang``'s root that the generator writes."""
    paths = {urls.path("events"), urls.path("calendar")}
    for code in catalog.regions:
        paths |= {urls.path("event_region", code=code), urls.path("calendar_region", code=code)}
    for code in catalog.campaigns:
        paths |= {urls.path("event_campaign", code=code), urls.path("calendar_campaign", code=code)}
    for event in catalog.in_language(lang):
        paths |= {urls.path(kind, slug=event.slug) for kind in ("event", "event_poster", "calendar_event")}
    return paths


def declared_paths(settings: dict) -> dict[str, set[str]]:
    """Language code -> every address below that language's root that the
    events generator writes, from the same reading of the events as the
    build (events with errors are left out, as the build stops on them)."""
    catalog, _ = site_catalog(settings)
    return {lang: paths_in(catalog, lang) for lang in build_context(settings).site.codes}


class EventsGenerator(Generator):
    """Reads every event once per build and writes that language's
    listings, event pages and calendars."""

    # Shows no page or post: the dev server's partial rebuild (sitekit/live.py)
    # need not run it when one changes.
    independent_of_content = True

    def generate_context(self):
        site = build_context(self.settings).site
        self.lang = run_language(self.settings)
        catalog, errors = site_catalog(self.settings)
        if errors:
            first = errors[0]
            more = f" (and {len(errors) - 1} more: `invoke check` lists them all)" if len(errors) > 1 else ""
            raise ContentError(first.path, first.field, first.message + more, first.line, first.entry)
        self.catalog = catalog
        self.absolute_lang_root = site.language_root(self.lang, absolute=True)
        self.host = calendars.host_of(site.absolute_root)
        now = build_now(site.events_now)
        self.events = catalog.in_language(self.lang)
        self.views = [make_view(e, self.lang, catalog, now, self.absolute_lang_root) for e in self.events]
        # The home page shows the next three; three more are sent hidden so
        # events.js can fill in when the first ones are over by reading time.
        self.context["events_home"] = [v for v in self.views if not v.past][:6]
        self.context["events_enabled"] = True
        # For the plugins after this one (reach draws each event's share
        # image): every event of this language, as its page shows it.
        self.context["EVENTS"] = self.views

    # -- helpers

    def webcal(self, kind: str, **parts) -> str:
        return calendars.webcal(urls.url(self.absolute_lang_root, kind, **parts))

    def _summary_prefix(self):
        """'Example: Cancelled: ' and the like, in this language, from the
        event_macros template (so the words are in the theme's catalogs)."""
        module = self.env.get_template("partials/event_macros.html").module
        cache = {}

        def prefix(event: Event) -> str:
            key = (event.status, event.sample)
            if key not in cache:
                text = str(module.summary_prefix(event.status, event.sample)).strip()
                cache[key] = f"{text} " if text else ""
            return cache[key]

        return prefix

    def _write_page(self, writer, kind: str, template, subject: Event, **variables):
        """An event's page or poster, linked to the same in the languages
        that have the event."""
        key = subject.translation_key
        address = urls.path(kind, slug=subject.slug)
        links = alternates(self.settings, {key: subject.languages or ()}, url=address, key=key)
        writer.write_file(
            urls.save_as(kind, slug=subject.slug), template, self.context, alternate_links=links, **variables
        )

    def _write_ics(self, kind: str, parts: dict, events: list[Event], title: str, cal_id: str):
        data = calendars.calendar(
            events,
            self.lang,
            name=title,
            cal_id=cal_id,
            host=self.host,
            page_url=lambda e: urls.url(self.absolute_lang_root, "event", slug=e.slug),
            region_name=lambda e: self.catalog.region_name(e.region, self.lang),
            status_prefix=self.summary_prefix,
        )
        path = Path(self.output_path) / urls.save_as(kind, **parts)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)

    def _listing(
        self, writer, kind: str, parts: dict, views, ics_kind: str, title: str, cal_id: str, **extra
    ):
        upcoming, past = split(views)
        writer.write_file(
            urls.save_as(kind, **parts),
            self.get_template("events"),
            self.context,
            alternate_links=alternates(self.settings, {}, url=urls.path(kind, **parts), key=None),
            upcoming=upcoming,
            past=past,
            events_count=len(views),
            ics_kind=ics_kind,
            ics_parts=parts,
            webcal=self.webcal,
            campaigns=[{"code": c.code, "name": c.name(self.lang)} for c in self.catalog.campaigns.values()],
            regions=[
                {"code": code, "name": names.get(self.lang) or code}
                for code, names in self.catalog.regions.items()
            ],
            **extra,
        )
        self._write_ics(ics_kind, parts, [v.event for v in views], title, cal_id)

    # -- output

    def generate_output(self, writer):
        lang = self.lang
        self.summary_prefix = self._summary_prefix()
        site = self.settings.get("SITENAME", "")
        self._listing(writer, "events", {}, self.views, "calendar", site, "all", listing="all")

        for code, names in self.catalog.regions.items():
            name = names.get(lang) or code
            views = [v for v in self.views if v.region == code]
            self._listing(
                writer,
                "event_region",
                {"code": code},
                views,
                "calendar_region",
                f"{site}: {name}",
                f"region-{code}",
                listing="region",
                region_name=name,
            )

        for campaign in self.catalog.campaigns.values():
            name = campaign.name(lang)
            views = [v for v in self.views if v.campaign == campaign.code]
            self._listing(
                writer,
                "event_campaign",
                {"code": campaign.code},
                views,
                "calendar_campaign",
                f"{site}: {name}",
                f"campaign-{campaign.code}",
                listing="campaign",
                campaign_name=name,
                campaign_summary=campaign.summary(lang),
            )

        template, poster = self.get_template("event"), self.get_template("poster")
        for view in self.views:
            event = view.event
            self._write_page(writer, "event", template, event, event=view, webcal=self.webcal)
            # The poster: the event on one A4 page, with a QR code of its page.
            page_url = urls.url(self.absolute_lang_root, "event", slug=event.slug)
            qr = qr_svg(page_url)
            long_title = len(view.title) > 60
            self._write_page(
                writer,
                "event_poster",
                poster,
                event,
                ev=view,
                qr=qr,
                qr_target=page_url,
                long_title=long_title,
            )
            self._write_ics(
                "calendar_event", {"slug": event.slug}, [event], view.title, f"event-{event.slug}"
            )
