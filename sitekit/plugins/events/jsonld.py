"""schema.org Event as JSON-LD, serialised with json.dumps.

The result goes inside <script type="application/ld+json">; '<', '>' and '&'
are written as \\u escapes, so no text from an event (a '</script>' in a
title, say) can end the element early. JSON parsers read them back as-is."""

from __future__ import annotations

import json

STATUS = {
    "scheduled": "https://schema.org/EventScheduled",
    "cancelled": "https://schema.org/EventCancelled",
    "postponed": "https://schema.org/EventPostponed",
}


def _iso(value, all_day: bool) -> str:
    return value.isoformat() if all_day else value.isoformat(timespec="minutes")


def event_data(event, lang: str, *, url: str, region_name: str = "") -> dict:
    text, _ = event.text(lang)
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": text.title,
        "startDate": _iso(event.start, event.all_day),
        "eventStatus": STATUS[event.status],
        "url": url,
        "inLanguage": lang,
    }
    if event.end is not None:
        data["endDate"] = _iso(event.end, event.all_day)
    if text.summary:
        data["description"] = text.summary
    locations = []
    if text.venue or text.address or event.region:
        place = {"@type": "Place", "name": text.venue or text.address or region_name}
        address = {"@type": "PostalAddress", "addressCountry": "KG"}
        if text.address:
            address["streetAddress"] = text.address
        if region_name:
            address["addressRegion"] = region_name
        place["address"] = address
        locations.append(place)
    if event.online:
        locations.append({"@type": "VirtualLocation", "url": event.online})
    if locations:
        data["location"] = locations[0] if len(locations) == 1 else locations
        data["eventAttendanceMode"] = (
            "https://schema.org/MixedEventAttendanceMode"
            if len(locations) == 2
            else "https://schema.org/OnlineEventAttendanceMode"
            if event.online
            else "https://schema.org/OfflineEventAttendanceMode"
        )
    if text.organiser:
        data["organizer"] = {"@type": "Organization", "name": text.organiser}
    return data


def dumps(data: dict) -> str:
    text = json.dumps(data, ensure_ascii=False, indent=None, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
