"""Parsers for the values editors write: dates, times, sources, slugs,
phone numbers and web addresses. One parser per kind of value, used by the
front-matter rules, the data-file schemas, events and `invoke check`.

Each raises ValueError with a message that says what would be right; the
caller adds the file, line and field (sitekit.core.errors.ContentError)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_ISO_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DOTTED_DATE_RE = re.compile(r"^\d{2}\.\d{2}\.\d{4}$")
_MONTH_RE = re.compile(r"^\d{4}-\d{2}$")
_TIME_RE = re.compile(r"^\d{1,2}[:.]\d{2}$")
_URL_RE = re.compile(r"^https?://[^\s<>\"]+$")
_PHONE_RE = re.compile(r"^\+[0-9][0-9 ()-]{6,}[0-9]$")
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$")


def _text(value) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int, date)):
        raise ValueError(f"expected text, got {value!r}")
    return value.isoformat() if isinstance(value, date) else str(value).strip()


def parse_date(value, *, dotted_ok: bool = False) -> date:
    """'2026-11-23' -> date. With ``dotted_ok``, also '23.11.2026', as
    Russian-language spreadsheets write it. Nothing else: no time of day."""
    text = _text(value)
    expected = "YYYY-MM-DD, e.g. 2026-11-23" + (", or DD.MM.YYYY" if dotted_ok else "")
    if _ISO_DATE_RE.match(text):
        fmt = "%Y-%m-%d"
    elif dotted_ok and _DOTTED_DATE_RE.match(text):
        fmt = "%d.%m.%Y"
    else:
        raise ValueError(f"'{text}' is not a date; write {expected}")
    try:
        if fmt == "%Y-%m-%d":  # what strptime does with this form, without its cost
            return date(int(text[:4]), int(text[5:7]), int(text[8:10]))
        return datetime.strptime(text, fmt).date()
    except ValueError:
        raise ValueError(f"'{text}' is not a real date (check the month and the day); write {expected}")


def parse_time(value) -> time:
    """'09:30' or '9.30' (24-hour clock)."""
    text = _text(value)
    try:
        if not _TIME_RE.match(text):
            raise ValueError
        hours, minutes = text.replace(".", ":").split(":")
        return time(int(hours), int(minutes))
    except ValueError:
        raise ValueError(f"'{text}' is not a time; write HH:MM on a 24-hour clock, such as 09:30 or 14:00")


def parse_date_or_datetime(value, *, dotted_ok: bool = False) -> date | tuple[date, time]:
    """'2027-06-26' -> date; '2027-06-26 10:00' (or with T) -> (date, time):
    a local time, with no zone (the caller knows the zone)."""
    text = _text(value)
    match = re.fullmatch(r"(\S+)[ T](\S+)", text)
    if not match:
        return parse_date(text, dotted_ok=dotted_ok)
    try:
        return parse_date(match.group(1), dotted_ok=dotted_ok), parse_time(match.group(2))
    except ValueError:
        raise ValueError(
            f"'{text}' is not a date and time; write '2027-06-26 10:00' (24-hour clock) or '2027-06-26'"
        )


class Month:
    """A date known to the month only ('as of November 2026')."""

    def __init__(self, first_day: date):
        self.first_day = first_day

    def isoformat(self) -> str:
        return self.first_day.isoformat()[:7]

    def __eq__(self, other):
        return isinstance(other, Month) and other.first_day == self.first_day

    def __hash__(self):
        return hash(self.first_day)

    def __repr__(self):
        return f"Month({self.isoformat()})"


def parse_date_or_month(value) -> date | Month:
    text = _text(value)
    if _MONTH_RE.match(text):
        try:
            return Month(date(int(text[:4]), int(text[5:7]), 1))
        except ValueError:
            raise ValueError(f"'{text}' is not a real month; write YYYY-MM-DD or YYYY-MM")
    try:
        return parse_date(text)
    except ValueError:
        raise ValueError(f"'{text}' is not a date; write YYYY-MM-DD or YYYY-MM, e.g. 2026-11")


@dataclass(frozen=True)
class Source:
    """Where a fact comes from: a title and a web address."""

    title: str
    url: str


def parse_source(value) -> Source:
    """'Title | https://...' -> Source. The title ends at the last '|'
    that is followed by a web address (titles may contain '|')."""
    if not isinstance(value, str) or "|" not in value:
        raise ValueError(f"write it as 'Title | https://address', got {value!r}")
    match = re.match(r"^(.*)\|\s*(https?://.*)$", value.strip())
    title, url = (match.group(1), match.group(2)) if match else value.rpartition("|")[::2]
    title, url = title.strip(), url.strip()
    if not title:
        raise ValueError(f"the title before '|' is empty in {value!r}; write 'Title | https://address'")
    return Source(title, parse_url(url))


def parse_url(value) -> str:
    text = _text(value)
    if not _URL_RE.match(text):
        raise ValueError(f"'{text}' is not a web address; write one that starts with https://")
    return text


# Pictures an editor adds live in content/images/ (STATIC_PATHS).
IMAGE_DIR = "images"
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg")


def parse_image_path(value) -> str:
    """'images/june-26.png' (also '{static}/images/...' or '/images/...'):
    a PNG or JPEG picture below content/images/, as a path below content/."""
    text = _text(value)
    rel = text.removeprefix("{static}").lstrip("/")
    parts = rel.split("/")
    if len(parts) < 2 or parts[0] != IMAGE_DIR or ".." in parts:
        raise ValueError(f"'{text}': put the picture in content/{IMAGE_DIR}/ and write {IMAGE_DIR}/name.png")
    if not rel.lower().endswith(IMAGE_SUFFIXES):
        raise ValueError(f"'{text}': use a PNG or JPEG picture (.png, .jpg)")
    return rel


def suggest_slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "name"


def parse_slug(value) -> str:
    text = _text(value)
    if not SLUG_RE.match(text):
        suggestion = suggest_slug(text)
        raise ValueError(
            f"'{text}': use lowercase Latin letters, digits and hyphens (it becomes an address), "
            f"e.g. {suggestion}"
        )
    return text


def tel_of(number: str) -> str:
    """'+996 312 91 04 07' -> '+996312910407', '102' -> '102' (for tel: links)."""
    digits = re.sub(r"\D", "", number)
    return "+" + digits if number.strip().startswith("+") else digits


def parse_phone(value) -> str:
    """A phone number in international form, as a reader would dial it."""
    if not isinstance(value, str):
        raise ValueError(
            f'put the number in quotes, e.g. "+996 312 00 00 00" (YAML read {value!r} as a number)'
        )
    if value.strip().isdigit() and len(value.strip()) <= 4:
        return value.strip()  # a short national number such as 102 or 114
    if not _PHONE_RE.match(value) or not 9 <= len(tel_of(value)) - 1 <= 15:
        raise ValueError(
            f'{value!r} is not an international number; write it like "+996 312 91 04 07" '
            '(country code, then the digits), or a short number such as "112"'
        )
    return value.strip()


def parse_email(value) -> str:
    text = _text(value)
    if not _EMAIL_RE.match(text):
        raise ValueError(f"'{text}' is not an e-mail address")
    return text


def parse_yes_no(value) -> bool:
    if isinstance(value, bool):
        return value
    text = _text(value).lower()
    if text in ("yes", "true"):
        return True
    if text in ("no", "false", ""):
        return False
    raise ValueError(f"'{text}': write yes or no")


def parse_timezone(value) -> str:
    """An IANA time zone name that this machine knows: 'Asia/Bishkek'."""
    text = _text(value)
    try:
        ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"unknown timezone '{text}'; expected a name such as Asia/Bishkek or Asia/Almaty "
            "(IANA time zone names)"
        ) from None
    return text


def parse_int(value) -> int:
    text = _text(value)
    if not re.fullmatch(r"-?\d+", text):
        raise ValueError(f"'{text}' is not a whole number")
    return int(text)
