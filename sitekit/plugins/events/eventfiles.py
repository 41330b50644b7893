"""Events from Markdown: ``content/<lang>/events/<name>.md``, one event per
file, translations sharing the file name.

Each field's own form is checked by sitekit.core.rules (EVENT_FIELDS), the
same rules `invoke check` applies to every Markdown file. What is left here
needs all of an event's files: a translation may leave out the fields that
are the same in every language (start, region, ...), and if it repeats one,
it must agree; the event needs a start in one of them."""

from __future__ import annotations

from pathlib import Path

import markdown

from sitekit.core import frontmatter, rules
from sitekit.core.errors import ContentError
from sitekit.core.sources import MARKDOWN_SUFFIXES

from . import checks
from .checks import Where
from .model import Event, EventText, source_stamp

# Fields that are the same in every language of an event.
SHARED = ("start", "end", "timezone", "region", "campaign", "online", "status", "sample")


def markdown_renderer(config: dict | None) -> markdown.Markdown:
    """Pelican's Markdown set-up (the MARKDOWN setting) for the bodies; the
    front matter is read by sitekit.core.frontmatter, not by Markdown."""
    config = dict(config or {})
    configs = dict(config.get("extension_configs") or {"markdown.extensions.extra": {}})
    configs.pop("markdown.extensions.meta", None)
    return markdown.Markdown(
        extensions=list(configs),
        extension_configs=configs,
        output_format=config.get("output_format", "html5"),
    )


def event_files(content: Path, langs) -> dict[str, list[tuple[str, Path]]]:
    """File name -> [(language, path)], languages in the site's order."""
    by_name: dict[str, list[tuple[str, Path]]] = {}
    for lang in langs:
        folder = Path(content) / lang / "events"
        if folder.is_dir():
            for path in sorted(folder.iterdir()):
                if path.suffix.lower() in MARKDOWN_SUFFIXES and path.is_file():
                    by_name.setdefault(path.stem, []).append((lang, path))
    return dict(sorted(by_name.items()))


def load_event_files(content: Path, site_langs, regions, campaigns, default_tz, md, errors) -> list[Event]:
    """Every Markdown event; what is wrong goes to ``errors`` (that event is
    left out)."""
    events = []
    for name, files in event_files(content, site_langs).items():
        read = []
        for lang, path in files:
            try:
                fm = frontmatter.read(path)
            except ContentError as exc:
                errors.append(exc)
                continue
            problems = rules.check_front_matter(path, "events", fm)
            errors.extend(problems)
            if not problems:
                read.append((lang, path, fm))
        if len(read) != len(files):
            continue
        try:
            events.append(_event(name, read, site_langs, regions, campaigns, default_tz, md))
        except ContentError as exc:
            errors.append(exc)
    return events


def _shared_fields(read) -> dict[str, tuple[object, Where]]:
    """Each shared field's parsed value and where it is first written; a
    translation that writes it differently is an error."""
    shared: dict[str, tuple[object, Where, str]] = {}
    for _lang, path, fm in read:
        for key in SHARED:
            if key not in fm.values:
                continue
            value, text = rules.parsed("events", fm, key), fm.text(key)
            where = Where(path, fm.lines[key])
            if key in shared and shared[key][0] != value:
                raise where.error(
                    key,
                    f"'{text}' differs from '{shared[key][2]}' in {shared[key][1].path}; "
                    "translations must agree (or leave the field out)",
                )
            shared.setdefault(key, (value, where, text))
    return {key: (value, where) for key, (value, where, _) in shared.items()}


def _event(name, read, site_langs, regions, campaigns, default_tz, md) -> Event:
    first = read[0][1]
    shared = _shared_fields(read)
    value = lambda key: shared.get(key, (None, Where(first)))  # noqa: E731
    if "start" not in shared:
        raise Where(first, 1).error(
            "start", "missing; expected 'Start: 2027-06-26 10:00' or 'Start: 2027-06-26' for a whole day"
        )
    tz = checks.timezone(value("timezone")[0], default_tz, value("timezone")[1])
    start = checks.moment(value("start")[0], tz)
    end_value, end_where = value("end")
    end = checks.moment(end_value, tz) if end_value is not None else None
    checks.span(start, end, end_where)
    online = value("online")[0]
    texts = {}
    for lang, _path, fm in read:
        md.reset()
        texts[lang] = EventText(
            title=fm.text("title"),
            summary=fm.text("summary"),
            venue=fm.text("venue"),
            address=fm.text("address"),
            organiser=fm.text("organiser"),
            description=md.convert(fm.body) if fm.body.strip() else "",
        )
    return Event(
        slug=name,
        source=first,
        kind="file",
        start=start,
        end=end,
        tz=tz,
        region=checks.region(value("region")[0], regions, value("region")[1], online=online),
        campaign=checks.campaign(value("campaign")[0], campaigns, value("campaign")[1]),
        status=checks.status(value("status")[0]),
        online=online,
        texts=texts,
        languages=tuple(lang for lang, _, _ in read),
        site_langs=tuple(site_langs),
        stamp=max(source_stamp(path) for _, path, _ in read),
        sample=bool(value("sample")[0]),
        files=tuple(path for _, path, _ in read),
    )
