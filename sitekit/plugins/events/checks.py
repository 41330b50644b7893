"""The rules of events that need more than one field or more than one file:
the region and campaign exist, the end is not before the start, a time
zone turns a local date and time into a moment. One value's own form (a
date, a time, a web address) is checked by the parsers of
sitekit.core.values, through sitekit.core.rules for Markdown files and
directly for schedule columns.

Each function raises ContentError naming ``where``: (path, line, entry).
Regions or campaigns of None could not be read (that file has its own
error): codes are not checked against them then."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sitekit.core import values
from sitekit.core.errors import ContentError


class Where:
    """The file, line and entry (a schedule row's id) a value comes from."""

    def __init__(self, path, line: int | None = None, entry: str | None = None):
        self.path, self.line, self.entry = path, line, entry

    def error(self, field: str, message: str) -> ContentError:
        return ContentError(self.path, field, message, line=self.line, entry=self.entry)

    def parse(self, field: str, parser, value, **options):
        """``parser(value)``, its ValueError turned into this place's ContentError."""
        try:
            return parser(value, **options)
        except ValueError as exc:
            raise self.error(field, str(exc)) from None


def timezone(value: str, default: str, where: Where, field: str = "timezone") -> str:
    return where.parse(field, values.parse_timezone, (value or "").strip() or default)


def moment(value: date | tuple[date, time], zone: str) -> datetime | date:
    """A parsed date (all day) or (date, time) as local time in ``zone``."""
    if isinstance(value, tuple):
        return datetime.combine(*value, ZoneInfo(zone))
    return value


def span(start, end, where: Where, field: str = "end") -> None:
    if end is None:
        return
    if isinstance(start, datetime) != isinstance(end, datetime):
        raise where.error(
            field, "start and end must both be dates (a whole-day event) or both dates with a time"
        )
    if end < start:
        raise where.error(
            field,
            f"the end ({_show(end)}) is before the start ({_show(start)}); "
            "expected an end at or after the start",
        )


def _show(value) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if isinstance(value, datetime) else value.isoformat()


def region(code: str, regions, where: Where, *, online: str | None, field: str = "region") -> str | None:
    code = (code or "").strip()
    if not code:
        if online:
            return None
        raise where.error(field, "missing; expected a region code: " + ", ".join(regions))
    if regions is not None and code not in regions:
        raise where.error(field, f"unknown region '{code}'; expected one of: " + ", ".join(regions))
    return code


def campaign(code: str, campaigns, where: Where, field: str = "campaign") -> str | None:
    code = (code or "").strip()
    if code and campaigns is not None and code not in campaigns:
        known = ", ".join(campaigns) or "(none yet)"
        raise where.error(
            field,
            f"unknown campaign '{code}'; add it to content/schedules/campaigns.yml or use one of: {known}",
        )
    return code or None


def status(value: str) -> str:
    """A status already checked against the rules' choices, normalised."""
    text = (value or "").strip().lower() or "scheduled"
    return "cancelled" if text == "canceled" else text
