"""Dates in feeds and in the news cache.

Feeds: ``parse_ru_date`` reads what feedparser's own handlers miss: Russian
(and Kyrgyz, which uses the same month names) month names, and
day.month.year. It follows feedparser's date-handler contract (a string in,
a 9-tuple in UTC out, or None); ``register()`` adds it to feedparser once. A
date with no time zone is taken as Bishkek time (UTC+6), where these feeds
are written.

feedparser quietly rolls impossible ISO dates over (2025-13-45 becomes
2026-01-01), so ``feed_date`` checks the text itself first: a month, day,
hour, minute or time zone that does not exist is an error with the reason,
and so is a date before MIN_YEAR or one no handler understood.

The cache: ``from_iso`` reads a stored date (ISO 8601) or says why not.
"""

from __future__ import annotations

import calendar
import re
from datetime import UTC, datetime, timedelta, timezone

import feedparser

BISHKEK = timezone(timedelta(hours=6))
# News items older than this are placeholders (0001-01-01, 1970-01-01), not
# dates; later than MAX_YEAR is a typing mistake. Both stay clear of the
# limits of datetime in any time zone.
MIN_YEAR = 1990
MAX_YEAR = 2999
# First three letters of a month's name, any case form (января, январь, янв.).
_MONTHS = {
    "янв": 1,
    "фев": 2,
    "мар": 3,
    "апр": 4,
    "май": 5,
    "мая": 5,
    "мае": 5,
    "июн": 6,
    "июл": 7,
    "авг": 8,
    "сен": 9,
    "окт": 10,
    "ноя": 11,
    "дек": 12,
}
_TIME = r"(?:\D{0,6}?(\d{1,2}):(\d{2})(?::(\d{2}))?)?"
_ZONE = r"\s*(?:([+-])(\d{2}):?(\d{2})|(gmt|utc|z)\b)?"
_WORDS = re.compile(r"(\d{1,2})[\s\-]+([а-яё]{3,})\.?,?\s+(\d{4})(?:\s*г(?:ода?)?\.?)?,?" + _TIME + _ZONE)
_NUMERIC = re.compile(r"^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})" + _TIME + _ZONE)
_registered = False


class DateError(ValueError):
    """A date that does not exist or cannot be read; the message says why."""


def _check_parts(text, year, month, day, hh=None, mm=None, ss=None, zh=None, zm=None) -> None:
    """Raise DateError naming the first part of ``text`` that does not exist."""
    year, month, day = int(year), int(month), int(day)
    if not 1 <= month <= 12:
        raise DateError(f"there is no month {month} in '{text}'")
    last = calendar.monthrange(year, month)[1] if 1 <= year <= 9999 else 31
    if not 1 <= day <= last:
        raise DateError(f"there is no day {day} in month {month} of {year} in '{text}'")
    if hh is not None and not 0 <= int(hh) <= 23:
        raise DateError(f"there is no hour {int(hh)} in '{text}'")
    if mm is not None and not 0 <= int(mm) <= 59:
        raise DateError(f"there is no minute {int(mm)} in '{text}'")
    if ss is not None and not 0 <= int(ss) <= 60:  # 60: a leap second
        raise DateError(f"there is no second {int(ss)} in '{text}'")
    if zh is not None and (int(zh) > 14 or int(zm or 0) > 59):
        raise DateError(f"there is no time zone {zh}:{zm or '00'} (at most 14 hours from UTC) in '{text}'")


def _build(day, month, year, hh, mm, ss, sign, zh, zm, utc):
    if sign:
        offset = timedelta(hours=int(zh), minutes=int(zm))
        tz = timezone(offset if sign == "+" else -offset)
    elif utc:
        tz = UTC
    else:
        tz = BISHKEK
    value = datetime(int(year), int(month), int(day), int(hh or 0), int(mm or 0), int(ss or 0), tzinfo=tz)
    return value.astimezone(UTC).timetuple()


def _ru_parts(text: str):
    """The parts of a Russian or dd.mm.yyyy date, or None if it is neither."""
    lowered = text.strip().lower()
    match = _WORDS.search(lowered)
    if match:
        day, word, year, hh, mm, ss, sign, zh, zm, utc = match.groups()
        month = _MONTHS.get(word[:3])
        if month is None:
            return None
        return day, month, year, hh, mm, ss, sign, zh, zm, utc
    match = _NUMERIC.match(lowered)
    if match:
        return match.groups()
    return None


def parse_ru_date(text: str):
    """'Сб, 20 января 2018 10:28:19 +0600' -> time.struct_time (UTC) or None."""
    if not text:
        return None
    parts = _ru_parts(text)
    if parts is None:
        return None
    try:
        _check_parts(text, parts[2], parts[1], parts[0], *parts[3:6], parts[7], parts[8])
        return _build(*parts)
    except (ValueError, OverflowError):
        return None


# W3C/ISO 8601 (Atom, dc:date) and RFC 822 (RSS pubDate), loosely: enough to
# find the parts and check that each exists.
_ISO = re.compile(
    r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:[T\s]+(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:[.,]\d+)?)?)?"
    r"\s*(?:z|utc|gmt|[+-](\d{1,2}):?(\d{2})?)?\s*$",
    re.IGNORECASE,
)
_RFC822_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
_RFC822 = re.compile(
    r"^\s*(?:[a-z]{2,9},?\s*)?(\d{1,2})\s+([a-z]{3})[a-z]*\.?\s+(\d{2,4})"
    r"(?:\s+(\d{1,2}):(\d{1,2})(?::(\d{1,2}))?)?",
    re.IGNORECASE,
)


def _check_text(text: str) -> None:
    """Raise DateError when ``text`` is a date whose parts do not exist."""
    match = _ISO.match(text)
    if match:
        year, month, day, hh, mm, ss, zh, zm = match.groups()
        _check_parts(text, year, month, day, hh, mm, ss, zh, zm)
        return
    match = _RFC822.match(text)
    if match and match.group(2).lower() in _RFC822_MONTHS:
        day, word, year, hh, mm, ss = match.groups()
        year = int(year) + (2000 if len(year) == 2 and int(year) < 50 else 1900 if len(year) == 2 else 0)
        _check_parts(text, year, _RFC822_MONTHS.index(word.lower()) + 1, day, hh, mm, ss)
        return
    parts = _ru_parts(text)
    if parts:
        day, month, year, hh, mm, ss, _sign, zh, zm, _utc = parts
        _check_parts(text, year, month, day, hh, mm, ss, zh, zm)


def _in_range(value: datetime, text: str) -> datetime:
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise DateError(f"'{text}' is not between the years {MIN_YEAR} and {MAX_YEAR}")
    return value


def feed_date(text: str, parsed) -> datetime:
    """A feed's date field as an aware UTC datetime. ``parsed`` is
    feedparser's 9-tuple for ``text`` (or None). Raises DateError."""
    text = " ".join(str(text).split())
    _check_text(text)
    if not parsed:
        raise DateError(f"'{text[:60]}' is not a date this site can read")
    try:
        value = datetime.fromtimestamp(calendar.timegm(parsed), UTC)
    except (OverflowError, ValueError, TypeError, OSError):
        raise DateError(f"'{text[:60]}' is not between the years {MIN_YEAR} and {MAX_YEAR}")
    return _in_range(value, text)


def from_iso(value) -> datetime:
    """A date stored in the news cache (ISO 8601; no zone means UTC) as an
    aware UTC datetime. Raises DateError saying what is wrong with it."""
    if not isinstance(value, str):
        raise DateError(f"{value!r} is not a date (dates are written like 2026-01-31T10:00:00+00:00)")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as exc:
        raise DateError(f"'{value}' is not a date like 2026-01-31T10:00:00+00:00 ({exc})")
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    try:
        return _in_range(parsed.astimezone(UTC), value)
    except OverflowError:
        raise DateError(f"'{value}' is not between the years {MIN_YEAR} and {MAX_YEAR}")


def register() -> None:
    """Add parse_ru_date to feedparser's date handlers (once)."""
    global _registered
    if not _registered:
        feedparser.registerDateHandler(parse_ru_date)
        _registered = True
