"""Dates that feedparser's own handlers miss: Russian (and Kyrgyz, which
uses the same month names) month names, and day.month.year.

``parse_ru_date`` follows feedparser's date-handler contract (a string in,
a 9-tuple in UTC out, or None); ``register()`` adds it to feedparser once.
A date with no time zone is taken as Bishkek time (UTC+6), where these
feeds are written.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

import feedparser

BISHKEK = timezone(timedelta(hours=6))
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


def parse_ru_date(text: str):
    """'Сб, 20 января 2018 10:28:19 +0600' -> time.struct_time (UTC) or None."""
    if not text:
        return None
    lowered = text.strip().lower()
    match = _WORDS.search(lowered)
    if match:
        day, word, year, hh, mm, ss, sign, zh, zm, utc = match.groups()
        month = _MONTHS.get(word[:3])
        if month is None:
            return None
        return _build(day, month, year, hh, mm, ss, sign, zh, zm, utc)
    match = _NUMERIC.match(lowered)
    if match:
        day, month, year, hh, mm, ss, sign, zh, zm, utc = match.groups()
        return _build(day, month, year, hh, mm, ss, sign, zh, zm, utc)
    return None


def register() -> None:
    """Add parse_ru_date to feedparser's date handlers (once)."""
    global _registered
    if not _registered:
        feedparser.registerDateHandler(parse_ru_date)
        _registered = True
