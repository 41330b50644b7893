"""Events: read them from Markdown files and CSV schedules, check them, and
turn them into language-independent Event objects.

Two sources, one shape:

- ``content/<lang>/events/<name>.md``: one event per file. Translations share
  the file name. A translation may leave out the fields that are the same in
  every language (start, region, ...); if it repeats one, it must agree.
- ``content/schedules/<name>.csv``: a whole schedule from a spreadsheet, one
  event per row, with a column per language for the texts
  (``title_en``, ``title_ru``, ``title_ky``, ...). Every row exists in every
  language; an empty text falls back to another language (the page says so).

Campaigns are named in ``content/schedules/campaigns.yml``.

Nothing here knows about Pelican: ``load_events`` and ``validate_events`` are
plain functions that ``invoke check`` can call without building."""

from __future__ import annotations

import csv
import io
import os
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import markdown
import yaml

from sitekit.core import frontmatter
from sitekit.core.errors import ContentError

from .regions import load_regions

DEFAULT_TIMEZONE = "Asia/Bishkek"
STATUSES = ("scheduled", "cancelled", "postponed")
LANGS = ("en", "ru", "ky")
# When a schedule row has no text in the reader's language, use these.
FALLBACK = {"en": ("ru", "ky"), "ru": ("en", "ky"), "ky": ("ru", "en")}
TEXT_FIELDS = ("title", "venue", "address", "organiser", "description")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

# Markdown front matter: key -> meaning. Keys are case-insensitive.
MD_FIELDS = {
    "title": "text",
    "summary": "text",
    "venue": "text",
    "address": "text",
    "organiser": "text",
    "start": "shared",
    "end": "shared",
    "timezone": "shared",
    "region": "shared",
    "campaign": "shared",
    "online": "shared",
    "status": "shared",
    "translation_review": "ignored",
    "translated_from": "ignored",
}
# CSV columns: the shared ones, then <text field>_<lang>.
CSV_SHARED = (
    "id",
    "date",
    "start_time",
    "end_date",
    "end_time",
    "timezone",
    "region",
    "campaign",
    "online",
    "status",
)
CSV_REQUIRED = ("id", "date", "region")


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
    source: Path
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
    stamp: datetime
    line: int | None = None

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

    def exists_in(self, lang: str) -> bool:
        return self.languages is None or lang in self.languages

    def text(self, lang: str) -> tuple[EventText, dict[str, str]]:
        """The texts for ``lang`` and, per field, the language it fell back to."""
        own = self.texts.get(lang, EventText())
        result = EventText(**vars(own))
        fallbacks = {}
        for name in (*TEXT_FIELDS, "summary"):
            if getattr(result, name):
                continue
            for other in FALLBACK.get(lang, LANGS):
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
        return self.names.get(lang) or next(
            (self.names[o] for o in FALLBACK.get(lang, LANGS) if self.names.get(o)), self.code
        )

    def summary(self, lang: str) -> str:
        return self.summaries.get(lang) or ""


@dataclass
class Catalog:
    events: list[Event]
    regions: dict[str, dict[str, str]]
    campaigns: dict[str, Campaign]


# ---------------------------------------------------------------- parsing


def parse_timezone(value, path, field_name, line=None, entry=None) -> str:
    name = (value or "").strip() or DEFAULT_TIMEZONE
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ContentError(
            path,
            field_name,
            f"unknown timezone '{name}'; expected a name "
            f"such as {DEFAULT_TIMEZONE} or Asia/Almaty (IANA time zone names)",
            line=line,
            entry=entry,
        ) from None
    return name


def parse_date(value: str, path, field_name, line=None, entry=None) -> date:
    """2027-06-26, or 26.06.2027 as Russian-language spreadsheets write it."""
    text = (value or "").strip()
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ContentError(
        path,
        field_name,
        f"'{text}' is not a date; expected YYYY-MM-DD (2027-06-26) or DD.MM.YYYY (26.06.2027)",
        line=line,
        entry=entry,
    )


def parse_time(value: str, path, field_name, line=None, entry=None) -> time:
    text = (value or "").strip().replace(".", ":")
    try:
        return datetime.strptime(text, "%H:%M").time()
    except ValueError:
        raise ContentError(
            path,
            field_name,
            f"'{text}' is not a time; expected HH:MM on a 24-hour clock, such as 09:30 or 14:00",
            line=line,
            entry=entry,
        ) from None


def parse_moment(value: str, zone: ZoneInfo, path, field_name, line=None):
    """'2027-06-26' (all day) or '2027-06-26 10:00' (local time in ``zone``)."""
    text = (value or "").strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}|\d{2}\.\d{2}\.\d{4}", text):
        return parse_date(text, path, field_name, line)
    match = re.fullmatch(r"(\S+)[ T](\d{1,2}[:.]\d{2})", text)
    if not match:
        raise ContentError(
            path,
            field_name,
            f"'{text}' is not a date and time; expected "
            "'2027-06-26 10:00' (local time, see timezone) or '2027-06-26' "
            "for a whole day",
            line=line,
        )
    day = parse_date(match.group(1), path, field_name, line)
    return datetime.combine(day, parse_time(match.group(2), path, field_name, line), zone)


def check_span(start, end, path, line=None, entry=None, field_name="end"):
    if end is None:
        return
    if isinstance(start, datetime) != isinstance(end, datetime):
        raise ContentError(
            path,
            field_name,
            "start and end must both be dates (a whole-day event) or both dates with a time",
            line=line,
            entry=entry,
        )
    if end < start:
        raise ContentError(
            path,
            field_name,
            f"the end ({_show(end)}) is before the start "
            f"({_show(start)}); expected an end at or after the start",
            line=line,
            entry=entry,
        )


def _show(value) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if isinstance(value, datetime) else value.isoformat()


def check_region(value, regions, path, field_name="region", line=None, entry=None, online=None):
    code = (value or "").strip()
    if not code:
        if online:
            return None
        raise ContentError(
            path, field_name, "missing; expected a region code: " + ", ".join(regions), line=line, entry=entry
        )
    if code not in regions:
        raise ContentError(
            path,
            field_name,
            f"unknown region '{code}'; expected one of: " + ", ".join(regions),
            line=line,
            entry=entry,
        )
    return code


def check_status(value, path, field_name="status", line=None, entry=None) -> str:
    status = (value or "").strip().lower() or "scheduled"
    if status == "canceled":
        status = "cancelled"
    if status not in STATUSES:
        raise ContentError(
            path,
            field_name,
            f"unknown status '{value}'; expected one of: " + ", ".join(STATUSES),
            line=line,
            entry=entry,
        )
    return status


def check_campaign(value, campaigns, path, field_name="campaign", line=None, entry=None):
    code = (value or "").strip()
    if not code:
        return None
    if code not in campaigns:
        known = ", ".join(campaigns) or "(none yet)"
        raise ContentError(
            path,
            field_name,
            f"unknown campaign '{code}'; add it to content/schedules/campaigns.yml or use one of: {known}",
            line=line,
            entry=entry,
        )
    return code


def check_online(value, path, field_name="online", line=None, entry=None):
    url = (value or "").strip()
    if not url:
        return None
    if not re.match(r"https?://[^\s]+$", url):
        raise ContentError(
            path,
            field_name,
            f"'{url}' is not a web address; expected a link starting with https://",
            line=line,
            entry=entry,
        )
    return url


def source_stamp(path: Path) -> datetime:
    """DTSTAMP: when the source last changed (SOURCE_DATE_EPOCH wins), so a
    rebuild without changes writes identical calendars."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    seconds = int(epoch) if epoch else int(path.stat().st_mtime)
    return datetime.fromtimestamp(seconds, UTC)


# ---------------------------------------------------------------- campaigns


def load_campaigns(content_dir) -> dict[str, Campaign]:
    path = Path(content_dir) / "schedules" / "campaigns.yml"
    if not path.is_file():
        return {}
    try:
        entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    except yaml.YAMLError as exc:
        raise ContentError(path, "yaml", f"not valid YAML: {exc}") from exc
    campaigns = {}
    for number, entry in enumerate(entries, 1):
        code = str((entry or {}).get("code") or "")
        if not SLUG_RE.match(code):
            raise ContentError(
                path,
                "code",
                f"campaign {number}: '{code}' is not a code; "
                "expected lowercase letters, digits and hyphens, such as "
                "june-26-2027",
                entry=code or None,
            )
        names = entry.get("name") or {}
        if not isinstance(names, dict) or not any(names.values()):
            raise ContentError(
                path, "name", "expected a name per language, such as {en: ..., ru: ..., ky: ...}", entry=code
            )
        campaigns[code] = Campaign(
            code,
            {k: str(v) for k, v in names.items() if v},
            {k: str(v) for k, v in (entry.get("summary") or {}).items() if v},
        )
    return campaigns


# ---------------------------------------------------------------- Markdown files


def _markdown(settings: dict | None):
    config = dict((settings or {}).get("MARKDOWN") or {})
    configs = dict(config.get("extension_configs") or {"markdown.extensions.extra": {}})
    configs.setdefault("markdown.extensions.meta", {})
    return markdown.Markdown(
        extensions=list(configs),
        extension_configs=configs,
        output_format=config.get("output_format", "html5"),
    )


def read_event_file(path: Path, md) -> tuple[dict, EventText, dict[str, int]]:
    """Front matter (lowercase keys -> str), texts and each key's line."""
    text = path.read_text(encoding="utf-8-sig")
    md.reset()
    body = md.convert(text)
    meta = {k.lower(): "\n".join(v).strip() for k, v in getattr(md, "Meta", {}).items()}
    lines = frontmatter.parse(text).lines
    for key in meta:
        if key not in MD_FIELDS:
            raise ContentError(
                path,
                key,
                f"unknown field '{key}'; expected one of: " + ", ".join(k.capitalize() for k in MD_FIELDS),
                line=lines.get(key),
            )
    texts = EventText(
        title=meta.get("title", ""),
        summary=meta.get("summary", ""),
        venue=meta.get("venue", ""),
        address=meta.get("address", ""),
        organiser=meta.get("organiser", ""),
        description=body,
    )
    return meta, texts, lines


def load_event_files(content_dir: Path, langs, regions, campaigns, settings=None, errors=None) -> list[Event]:
    """Events from content/<lang>/events/*.md, translations merged by file name."""
    md = _markdown(settings)
    by_name: dict[str, list[tuple[str, Path]]] = {}
    for lang in langs:
        folder = content_dir / lang / "events"
        if folder.is_dir():
            for path in sorted(folder.glob("*.md")):
                by_name.setdefault(path.stem, []).append((lang, path))
    events = []
    for name, files in sorted(by_name.items()):
        try:
            events.append(_event_from_files(name, files, regions, campaigns, md))
        except ContentError as exc:
            if errors is None:
                raise
            errors.append(exc)
    return events


def _event_from_files(name, files, regions, campaigns, md) -> Event:
    first_path = files[0][1]
    if not SLUG_RE.match(name):
        raise ContentError(
            first_path,
            "file name",
            f"'{name}.md': expected lowercase letters, digits and hyphens (the name becomes the address)",
        )
    shared: dict[str, tuple[str, Path, int | None]] = {}
    texts = {}
    for lang, path in files:
        meta, text, lines = read_event_file(path, md)
        if not text.title:
            raise ContentError(path, "title", "missing; expected 'Title: ...' in the front matter", line=1)
        texts[lang] = text
        for key, value in meta.items():
            if MD_FIELDS[key] != "shared":
                continue
            if key in shared and shared[key][0] != value:
                raise ContentError(
                    path,
                    key,
                    f"'{value}' differs from '{shared[key][0]}' in "
                    f"{shared[key][1]}; translations must agree (or leave the "
                    "field out)",
                    line=lines.get(key),
                )
            shared.setdefault(key, (value, path, lines.get(key)))

    def get(key):
        value, path, line = shared.get(key, ("", first_path, None))
        return value, path, line

    value, path, line = get("timezone")
    tz = parse_timezone(value, path, "timezone", line)
    zone = ZoneInfo(tz)
    value, path, line = get("start")
    if not value:
        raise ContentError(
            first_path,
            "start",
            "missing; expected 'Start: 2027-06-26 10:00' or 'Start: 2027-06-26' for a whole day",
            line=1,
        )
    start = parse_moment(value, zone, path, "start", line)
    value, path, line = get("end")
    end = parse_moment(value, zone, path, "end", line) if value else None
    check_span(start, end, path, line)
    value, path, line = get("online")
    online = check_online(value, path, "online", line)
    value, path, line = get("region")
    region = check_region(value, regions, path, "region", line, online=online)
    value, path, line = get("status")
    status = check_status(value, path, "status", line)
    value, path, line = get("campaign")
    campaign = check_campaign(value, campaigns, path, "campaign", line)
    return Event(
        slug=name,
        source=first_path,
        kind="file",
        start=start,
        end=end,
        tz=tz,
        region=region,
        campaign=campaign,
        status=status,
        online=online,
        texts=texts,
        languages=tuple(lang for lang, _ in files),
        stamp=max(source_stamp(p) for _, p in files),
    )


# ---------------------------------------------------------------- CSV schedules


def sniff_delimiter(header: str) -> str:
    return ";" if header.count(";") > header.count(",") else ","


def load_schedule(path: Path, langs, regions, campaigns, errors=None) -> list[Event]:
    """One CSV schedule. UTF-8 with or without a BOM, ',' or ';' separated."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ContentError(
            path, "encoding", "not UTF-8; in the spreadsheet choose 'CSV UTF-8' when saving"
        ) from exc
    header_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(header_line))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise ContentError(path, "columns", "the file is empty; expected a header row", line=1) from None
    text_columns = {f"{name}_{lang}" for name in TEXT_FIELDS for lang in langs}
    allowed = set(CSV_SHARED) | text_columns
    for column in header:
        if column and column not in allowed and not column.startswith("_"):
            raise ContentError(
                path,
                "columns",
                f"unknown column '{column}'; expected: "
                + ", ".join(CSV_SHARED)
                + ", and title_<lang>, venue_<lang>, "
                "address_<lang>, organiser_<lang>, description_<lang> for "
                + ", ".join(langs)
                + " (columns starting with _ are ignored)",
                line=1,
            )
    missing = [c for c in CSV_REQUIRED if c not in header]
    if not any(f"title_{lang}" in header for lang in langs):
        missing.append("title_" + langs[0])
    if missing:
        raise ContentError(
            path,
            "columns",
            "missing required column(s): "
            + ", ".join(missing)
            + "; the header row needs at least id, date, region and one "
            "title_<lang> column",
            line=1,
        )
    stamp = source_stamp(path)
    events, seen = [], {}
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        record = {name: (row[i].strip() if i < len(row) else "") for i, name in enumerate(header)}
        try:
            event = _event_from_row(path, line, record, langs, regions, campaigns, stamp)
            if event.slug in seen:
                raise ContentError(
                    path,
                    "id",
                    f"'{record['id']}' is used twice (also on line "
                    f"{seen[event.slug]}); every row needs its own id",
                    line=line,
                    entry=record["id"],
                )
            seen[event.slug] = line
            events.append(event)
        except ContentError as exc:
            if errors is None:
                raise
            errors.append(exc)
    return events


def _event_from_row(path, line, record, langs, regions, campaigns, stamp) -> Event:
    ident = record.get("id", "")
    entry = ident or None
    if not SLUG_RE.match(ident):
        raise ContentError(
            path,
            "id",
            f"'{ident}' is not an id; expected lowercase letters, "
            "digits and hyphens, unique in the file, never reused (it keeps "
            "the event's address and calendar entry stable)",
            line=line,
            entry=entry,
        )
    tz = parse_timezone(record.get("timezone"), path, "timezone", line, entry)
    zone = ZoneInfo(tz)
    day = parse_date(record.get("date"), path, "date", line, entry)
    last_day = (
        parse_date(record["end_date"], path, "end_date", line, entry) if record.get("end_date") else None
    )
    if record.get("start_time"):
        start = datetime.combine(day, parse_time(record["start_time"], path, "start_time", line, entry), zone)
        end = None
        if record.get("end_time"):
            end = datetime.combine(
                last_day or day, parse_time(record["end_time"], path, "end_time", line, entry), zone
            )
        elif last_day:
            raise ContentError(
                path,
                "end_time",
                "end_date is given without end_time; expected both, or leave start_time empty for whole days",
                line=line,
                entry=entry,
            )
    else:
        if record.get("end_time"):
            raise ContentError(
                path,
                "start_time",
                "end_time is given without start_time; expected HH:MM",
                line=line,
                entry=entry,
            )
        start, end = day, last_day
    check_span(
        start, end, path, line, entry, field_name="end_time" if isinstance(start, datetime) else "end_date"
    )
    online = check_online(record.get("online"), path, "online", line, entry)
    region = check_region(record.get("region"), regions, path, "region", line, entry, online)
    status = check_status(record.get("status"), path, "status", line, entry)
    campaign = check_campaign(record.get("campaign"), campaigns, path, "campaign", line, entry)
    texts = {}
    for lang in langs:
        texts[lang] = EventText(**{name: record.get(f"{name}_{lang}", "") for name in TEXT_FIELDS})
    if not any(t.title for t in texts.values()):
        raise ContentError(
            path,
            "title_" + langs[0],
            "every row needs a title in at least one language",
            line=line,
            entry=entry,
        )
    return Event(
        slug=f"{path.stem}-{ident}",
        source=path,
        kind="schedule",
        start=start,
        end=end,
        tz=tz,
        region=region,
        campaign=campaign,
        status=status,
        online=online,
        texts=texts,
        languages=None,
        stamp=stamp,
        line=line,
    )


# ---------------------------------------------------------------- everything


def load_events(content_dir, langs=LANGS, settings=None, errors=None) -> Catalog:
    """Every event of the site, sorted by start. With ``errors`` (a list),
    collect problems there and go on; without, raise the first one."""
    content_dir = Path(content_dir)
    regions = load_regions(content_dir)
    campaigns = load_campaigns(content_dir)
    events = load_event_files(content_dir, langs, regions, campaigns, settings, errors)
    folder = content_dir / "schedules"
    if folder.is_dir():
        for path in sorted(folder.glob("*.csv")):
            try:
                events += load_schedule(path, langs, regions, campaigns, errors)
            except ContentError as exc:
                if errors is None:
                    raise
                errors.append(exc)
    by_slug: dict[str, Event] = {}
    for event in events:
        if event.slug in by_slug:
            exc = ContentError(
                event.source,
                "id",
                f"the address events/{event.slug}/ is also used by {by_slug[event.slug].source}; rename one",
                line=event.line,
            )
            if errors is None:
                raise exc
            errors.append(exc)
            continue
        by_slug[event.slug] = event
    ordered = sorted(by_slug.values(), key=lambda e: (e.begins_at, e.slug))
    return Catalog(ordered, regions, campaigns)


def validate_events(content_dir, langs=LANGS) -> list[ContentError]:
    """Every problem in the events and schedules, without building the site."""
    errors: list[ContentError] = []
    try:
        load_events(content_dir, langs, errors=errors)
    except ContentError as exc:  # regions or campaigns file itself
        errors.append(exc)
    return errors


def check(settings) -> list[ContentError]:
    """For `invoke check` (CONTENT_VALIDATORS): the build's own validation."""
    return validate_events(settings["PATH"], tuple(lang["code"] for lang in settings["LANGUAGES"]))
