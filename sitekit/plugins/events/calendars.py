"""iCalendar files (.ics) for events, made with icalendar.

Times are written with their TZID and the calendar carries the matching
VTIMEZONE; whole-day events are DATE values with an exclusive DTEND, as
RFC 5545 wants. UIDs come from the event's file name or schedule row id, so
they survive edits and reordering."""

from __future__ import annotations

import copy
import functools
from datetime import date, timedelta
from urllib.parse import urlsplit

from icalendar import Calendar, Timezone
from icalendar import Event as VEvent

ICS_STATUS = {"scheduled": "CONFIRMED", "postponed": "TENTATIVE", "cancelled": "CANCELLED"}


def uid_for(event, host: str) -> str:
    return f"event-{event.slug}@{host or 'localhost'}"


def host_of(absolute_root: str) -> str:
    return urlsplit(absolute_root).hostname or "localhost"


def vevent(
    event, lang: str, page_url: str, host: str, *, region_name: str = "", status_prefix: str = ""
) -> VEvent:
    text, _ = event.text(lang)
    location = ", ".join(part for part in (text.venue, text.address, region_name) if part)
    plain = text.description if event.kind == "schedule" else ""  # files: HTML, use the summary
    description_parts = [p for p in (text.summary, plain, text.organiser, event.online, page_url) if p]
    if event.all_day:
        start = event.start
        end = (event.end or event.start) + timedelta(days=1)
    else:
        start, end = event.start, event.end
    component = VEvent.new(
        uid=uid_for(event, host),
        stamp=event.stamp,
        start=start,
        end=end,
        summary=f"{status_prefix}{text.title}",
        location=location or None,
        description="\n".join(description_parts) or None,
        url=page_url,
        status=ICS_STATUS[event.status],
    )
    return component


@functools.cache
def vtimezone(tzid: str, first_year: int, last_year: int):
    """The VTIMEZONE for ``tzid`` covering whole years. Working it out is
    slow (icalendar walks the zone's offsets), and every calendar of a build
    needs the same few, so each is made once."""
    try:
        return Timezone.from_tzid(
            tzid, first_date=date(first_year - 1, 12, 31), last_date=date(last_year + 1, 1, 1)
        )
    except ValueError:  # a zone icalendar does not know: leave it out
        return None


def calendar(
    events,
    lang: str,
    *,
    name: str,
    cal_id: str,
    host: str,
    page_url,
    region_name=lambda e: "",
    status_prefix=lambda e: "",
) -> bytes:
    """One .ics for ``events``; ``page_url(event)`` is the absolute URL of
    its page in ``lang``."""
    cal = Calendar.new(
        name=name,
        prodid=f"-//{host}//events//{lang.upper()}",
        uid=f"calendar-{cal_id}-{lang}@{host}",
        language=lang,
        method="PUBLISH",
        refresh_interval=timedelta(hours=12),
    )
    # RFC 7986 requires VALUE=DURATION on REFRESH-INTERVAL; icalendar leaves it out.
    cal["REFRESH-INTERVAL"].params["VALUE"] = "DURATION"
    for event in events:
        cal.add_component(
            vevent(
                event,
                lang,
                page_url(event),
                host,
                region_name=region_name(event),
                status_prefix=status_prefix(event),
            )
        )
    if events:
        first_year = min(e.begins_at.year for e in events)
        last_year = max(e.ends_at.year for e in events)
        for position, tzid in enumerate(sorted(cal.get_missing_tzids())):
            timezone = vtimezone(tzid, first_year, last_year)
            if timezone is not None:
                cal.subcomponents.insert(position, copy.deepcopy(timezone))
    return cal.to_ical()


def webcal(url: str) -> str:
    """webcal://host/path for an http(s) URL: calendar apps subscribe to it."""
    for scheme in ("https://", "http://"):
        if url.startswith(scheme):
            return "webcal://" + url[len(scheme) :]
    return url
