"""Events from CSV schedules: ``content/schedules/<name>.csv``, one event
per row, a column per language for the texts (``title_en``, ``title_ru``,
...). Every row exists in every language; an empty text falls back to
another language (the page says so).

The file is UTF-8 with or without a byte-order mark, separated by ',' or
';' (whichever the header row has more of), as spreadsheet programs save
it. Whatever is wrong is named by file, line, row id and column: a row
whose cells do not match the header, a quote that is never closed, a cell
too long to be a real one."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path

from sitekit.core import rules, values
from sitekit.core.errors import ContentError
from sitekit.core.files import read_text

from . import checks
from .checks import Where
from .model import Event, EventText, source_stamp

# The columns of the whole row, then <text>_<lang> per language.
SHARED_COLUMNS = (
    "id",
    "date",
    "start_time",
    "end_date",
    "end_time",
    "timezone",
    "region",
    "campaign",
    "status",
    "online",
    "sample",
)
REQUIRED_COLUMNS = ("id", "date", "region")
TEXT_COLUMNS = ("title", "venue", "address", "organiser", "description")
# A cell longer than this is a mistake (most likely a quote that swallowed
# the rest of the file), not an event's description.
MAX_CELL = 20_000


def sniff_delimiter(header: str) -> str:
    return ";" if header.count(";") > header.count(",") else ","


def rows(path: Path, text: str, delimiter: str, header: list[str]):
    """(line, cells) of each row after the header. Any cell count other than
    the header's, and any quote left open, is an error naming the row."""
    # The csv module refuses cells over its field size limit with a bare
    # error; the whole file is the most a cell can be, and MAX_CELL decides.
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    while True:
        line = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error:
            raise ContentError(
                path,
                "quotes",
                'a quote (") opens a cell in this row and is not closed where the cell ends: close it, '
                'or remove it (a quote inside a cell is written twice: "")',
                line=line,
            ) from None
        if line == 1 or not any(cell.strip() for cell in cells):  # the header, or an empty row
            continue
        _check_row_shape(path, line, reader.line_num, cells, delimiter, header)
        yield line, cells


def _check_row_shape(path, line, last_line, cells, delimiter, header) -> None:
    width = len(header)
    entry = cells[0].strip() or None
    for number, cell in enumerate(cells):
        if len(cell) > MAX_CELL:
            column = header[number] if number < len(header) and header[number] else f"column {number + 1}"
            raise ContentError(
                path,
                column,
                f"this cell has {len(cell):,} characters; a cell may have at most {MAX_CELL:,} "
                '(is a quote (") not closed?)',
                line=line,
                entry=entry,
            )
    if len(cells) != width:
        spans = f" (it runs on to line {last_line}: check its quotes)" if last_line > line else ""
        few = "too few" if len(cells) < width else "too many"
        raise ContentError(
            path,
            "cells",
            f"{len(cells)} cells where the header has {width} columns: {few}{spans}; every row needs "
            f"one cell per column (an empty cell is written as nothing between two '{delimiter}')",
            line=line,
            entry=entry,
        )
    for cell in cells:
        swallowed = [part for part in cell.split("\n")[1:] if _looks_like_a_row(part, delimiter, header)]
        if swallowed:
            raise ContentError(
                path,
                "quotes",
                f"a cell holds a line that looks like a row of its own ({swallowed[0][:40]!r}...): a quote "
                '(") opens the cell and is closed only in a later row; close it where the cell ends',
                line=line,
                entry=entry,
            )


def _looks_like_a_row(text: str, delimiter: str, header: list[str]) -> bool:
    """A line with an id and a date where the header has them: a row that
    an unclosed quote swallowed into the cell above."""
    parts = [part.strip() for part in text.split(delimiter)]
    where = header.index("id"), header.index("date")
    if max(where) >= len(parts):
        return False
    try:
        values.parse_slug(parts[where[0]])
        values.parse_date(parts[where[1]], dotted_ok=True)
    except ValueError:
        return False
    return True


def _header(path: Path, text: str, langs) -> tuple[list[str], str]:
    first_line = text.split("\n", 1)[0]
    delimiter = sniff_delimiter(first_line)
    try:
        header = next(csv.reader([first_line], delimiter=delimiter))
    except (StopIteration, csv.Error):
        raise ContentError(path, "columns", "the file is empty; expected a header row", line=1) from None
    header = [name.strip().lower() for name in header]
    text_columns = [f"{name}_{lang}" for name in TEXT_COLUMNS for lang in langs]
    for column in header:
        if (
            column
            and column not in SHARED_COLUMNS
            and column not in text_columns
            and not column.startswith("_")
        ):
            raise ContentError(
                path,
                "columns",
                f"unknown column '{column}'; expected: {', '.join(SHARED_COLUMNS)}, and "
                f"{', '.join(n + '_<lang>' for n in TEXT_COLUMNS)} for {', '.join(langs)} "
                "(columns starting with _ are ignored)",
                line=1,
            )
        if column and header.count(column) > 1:
            raise ContentError(path, "columns", f"the column '{column}' is there twice; keep one", line=1)
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if not any(f"title_{lang}" in header for lang in langs):
        missing.append("title_" + langs[0])
    if missing:
        raise ContentError(
            path,
            "columns",
            f"missing required column(s): {', '.join(missing)}; the header row needs at least id, date, "
            "region and one title_<lang> column",
            line=1,
        )
    return header, delimiter


def load_schedule(path: Path, langs, regions, campaigns, default_tz, errors) -> list[Event]:
    """The events of one CSV schedule. A problem with the file as a whole
    (encoding, header, quotes, a row's cells) stops reading it; a problem in
    one row's values leaves that row out. All go to ``errors``."""
    events, seen = [], {}
    try:
        text = read_text(path)
        header, delimiter = _header(path, text, langs)
        stamp = source_stamp(path)
        for line, cells in rows(path, text, delimiter, header):
            record = {name: cell.strip() for name, cell in zip(header, cells, strict=True) if name}
            try:
                event = _event(path, line, record, langs, regions, campaigns, default_tz, stamp)
                if event.slug in seen:
                    raise Where(path, line, record["id"]).error(
                        "id",
                        f"'{record['id']}' is used twice (also on line {seen[event.slug]}); "
                        "every row needs its own id",
                    )
                seen[event.slug] = line
                events.append(event)
            except ContentError as exc:
                errors.append(exc)
    except ContentError as exc:
        errors.append(exc)
    return events


def _event(path, line, record, langs, regions, campaigns, default_tz, stamp) -> Event:
    ident = record.get("id", "")
    where = Where(path, line, ident or None)
    where.parse("id", values.parse_slug, ident)
    tz = checks.timezone(record.get("timezone"), default_tz, where)
    day = where.parse("date", values.parse_date, record.get("date"), dotted_ok=True)
    last_day = (
        where.parse("end_date", values.parse_date, record["end_date"], dotted_ok=True)
        if record.get("end_date")
        else None
    )
    start_time, end_time = (
        where.parse(name, values.parse_time, record[name]) if record.get(name) else None
        for name in ("start_time", "end_time")
    )
    if start_time is None:
        if end_time is not None:
            raise where.error("start_time", "end_time is given without start_time; expected HH:MM")
        start, end = day, last_day
    else:
        if last_day and end_time is None:
            raise where.error(
                "end_time",
                "end_date is given without end_time; expected both, or leave start_time empty for whole days",
            )
        start = checks.moment((day, start_time), tz)
        end = checks.moment((last_day or day, end_time), tz) if end_time else None
    checks.span(start, end, where, "end_time" if isinstance(start, datetime) else "end_date")
    online = where.parse("online", values.parse_url, record["online"]) if record.get("online") else None
    status = where.parse(
        "status", rules.fields("events")["status"].parse, record.get("status") or "scheduled"
    )
    texts = {
        lang: EventText(**{name: record.get(f"{name}_{lang}", "") for name in TEXT_COLUMNS}) for lang in langs
    }
    if not any(t.title for t in texts.values()):
        raise where.error("title_" + langs[0], "every row needs a title in at least one language")
    return Event(
        slug=f"{path.stem}-{ident}",
        source=path,
        kind="schedule",
        start=start,
        end=end,
        tz=tz,
        region=checks.region(record.get("region"), regions, where, online=online),
        campaign=checks.campaign(record.get("campaign"), campaigns, where),
        status=checks.status(status),
        online=online,
        texts=texts,
        languages=None,
        site_langs=tuple(langs),
        stamp=stamp,
        line=line,
        sample=where.parse("sample", values.parse_yes_no, record.get("sample", "")),
    )
