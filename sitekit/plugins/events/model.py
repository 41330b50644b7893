"""Events as the site shows them, whatever they were read from: one Event
per event with its texts per language, the campaigns and regions they
refer to, and the Catalog of them all. No reading, no Pelican.

Two sources make Events: Markdown files (``eventfiles.py``, one event per
file, translations share the file name) and CSV schedules
(``schedules.py``, one event per row, a column per language)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

STATUSES = ("scheduled", "cancelled", "postponed")
# The texts an event has per language.
TEXT_FIELDS = ("title", "summary", "venue", "address", "organiser", "description")
# Which language a reader of one language understands next: Kyrgyz readers
# read Russian before English. Languages not named here fall back to the
# site's languages in their order.
PREFERRED_FALLBACK = {"en": ("ru", "ky"), "ru": ("en", "ky"), "ky": ("ru", "en")}


def fallback_order(lang: str, langs) -> tuple[str, ...]:
    """The other languages of ``langs``, the one a reader of ``lang`` reads
    best first."""
    preferred = [code for code in PREFERRED_FALLBACK.get(lang, ()) if code in langs]
    return tuple(preferred + [code for code in langs if code != lang and code not in preferred])


@dataclass
class EventText:
    title: str = ""
    summary: str = ""
    venue: str = ""
    address: str = ""
    organiser: str = ""
    description: str = ""  # HTML (Markdown files) or plain text (CSV)


@dataclass
class Event:
    slug: str
    source: Path  # the first Markdown file, or the CSV schedule
    kind: str  # "file" or "schedule"
    start: datetime | date
    end: datetime | date | None  # all-day: the last day, inclusive
    tz: str
    region: str | None
    campaign: str | None
    status: str
    online: str | None
    texts: dict[str, EventText]
    languages: tuple[str, ...] | None  # None: every language (schedules)
    site_langs: tuple[str, ...]  # the site's languages, for fallbacks
    stamp: datetime
    line: int | None = None  # the schedule row's line
    sample: bool = False  # example content, never to be published as real
    files: tuple[Path, ...] = ()  # every Markdown file of the event

    @property
    def all_day(self) -> bool:
        return not isinstance(self.start, datetime)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.tz)

    @property
    def begins_at(self) -> datetime:
        if self.all_day:
            return datetime.combine(self.start, time(0), self.zone)
        return self.start

    @property
    def ends_at(self) -> datetime:
        """When it is over: an all-day event ends at midnight after its last day."""
        if self.all_day:
            last = self.end or self.start
            return datetime.combine(last + timedelta(days=1), time(0), self.zone)
        return self.end or self.start

    @property
    def translation_key(self) -> str | None:
        """What the event's Markdown files share below their language folder."""
        return f"events/{self.source.name}" if self.kind == "file" else None

    def exists_in(self, lang: str) -> bool:
        return self.languages is None or lang in self.languages

    def text(self, lang: str) -> tuple[EventText, dict[str, str]]:
        """The texts for ``lang`` and, per field, the language it fell back to."""
        result = replace(self.texts.get(lang, EventText()))
        fallbacks = {}
        for name in TEXT_FIELDS:
            if getattr(result, name):
                continue
            for other in fallback_order(lang, self.site_langs):
                value = getattr(self.texts.get(other, EventText()), name)
                if value:
                    setattr(result, name, value)
                    fallbacks[name] = other
                    break
        return result, fallbacks


@dataclass
class Campaign:
    code: str
    names: dict[str, str]
    summaries: dict[str, str] = field(default_factory=dict)

    def name(self, lang: str) -> str:
        order = (lang, *fallback_order(lang, tuple(self.names)))
        return next((self.names[code] for code in order if self.names.get(code)), self.code)

    def summary(self, lang: str) -> str:
        return self.summaries.get(lang) or ""


@dataclass
class Catalog:
    events: list[Event]
    regions: dict[str, dict[str, str]]  # code -> {lang: name}, in file order
    campaigns: dict[str, Campaign]

    def region_name(self, code: str | None, lang: str) -> str:
        return self.regions.get(code, {}).get(lang, "") if code else ""

    def in_language(self, lang: str) -> list[Event]:
        return [event for event in self.events if event.exists_in(lang)]


def source_stamp(path: Path) -> datetime:
    """DTSTAMP: when the source last changed (SOURCE_DATE_EPOCH wins), so a
    rebuild without changes writes identical calendars."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    seconds = int(epoch) if epoch else int(path.stat().st_mtime)
    return datetime.fromtimestamp(seconds, UTC)
