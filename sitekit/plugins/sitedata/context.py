"""What the templates get from the data, in one language:

- ``HOTLINE``: the header's number and what it is for (hotline.yml, from a
  contact in contacts.yml), with its source;
- ``DANGER``: the home page's emergency numbers, each with its source;
- ``LEGAL_HELP``: one section per region (regions.yml): the contacts in
  that region, then the national services that take requests from anywhere;
- ``NATIONAL_HELP``: the national services in full;
- ``REHABILITATION``: the rehabilitation centres;
- ``OPCAT``: the sourced worldwide total, the rows and the counts computed
  from the rows;
- ``SITEDATA``: all of it, as loaded.

Every channel (phone, e-mail, web page, address) carries its source, the
date it was seen there and whether a person confirmed it by phone."""

from __future__ import annotations

from urllib.parse import urlsplit

from sitekit.core import values

from . import schemas
from .reading import SiteData


def _host(url: str) -> str:
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.")


def _pick(value, lang):
    return value.get(lang) if isinstance(value, dict) else value


def _href(channel) -> str | None:
    if channel.type == "phone":
        return "tel:" + values.tel_of(channel.value)
    if channel.type == "email":
        return "mailto:" + channel.value
    if channel.type in ("web", "form"):
        return channel.value
    return None


def _display(channel) -> str:
    """What the link says: the number or address, or a short web address."""
    if channel.type not in ("web", "form"):
        return channel.value
    parts = urlsplit(channel.value)
    short = (_host(channel.value) + parts.path).rstrip("/")
    return short if len(short) <= 40 and not parts.query else _host(channel.value) + "/…"


def channel_view(channel, contact, lang: str) -> dict:
    """One channel for a template: the link, what it is for, and how we know."""
    value = channel.value
    if channel.type == "address" and contact.address:
        value = contact.address[lang]  # the same address, in the reader's language
    return {
        "type": channel.type,
        "value": value,
        "href": _href(channel),
        "display": _display(channel),
        "purpose": channel.purpose[lang],
        "source": channel.source,
        "source_site": _host(channel.source.url),
        "seen": channel.seen,
        "seen_month": values.Month(channel.seen.replace(day=1)),
        "source_date": channel.source_date,
        "confirmed": channel.confirmed,
    }


def contact_view(contact, lang: str, region_names: dict, national: bool = False) -> dict:
    channels = [channel_view(ch, contact, lang) for ch in contact.channels]
    return {
        "id": contact.id,
        "kind": contact.kind,
        "name": contact.name[lang],
        "address": _pick(contact.address, lang),
        "note": _pick(contact.note, lang),
        "sample": contact.sample,
        "regions": list(contact.regions),
        "region_names": [region_names[code] for code in contact.regions if code in region_names],
        "national": national,
        "channels": channels,
        # The first channel a reader can follow (tel:, mailto:, web).
        "first_link": next((ch for ch in channels if ch["href"]), None),
    }


def _phone_view(pick, contacts: dict, lang: str, region_names: dict) -> dict:
    contact = contacts[pick.contact]
    tel = values.tel_of(pick.phone)
    channel = next(ch for ch in contact.channels if ch.type == "phone" and values.tel_of(ch.value) == tel)
    view = contact_view(contact, lang, region_names)
    return {
        "number": channel.value,
        "tel": tel,
        "contact": view,
        "channel": channel_view(channel, contact, lang),
    }


def _legal_help(data: SiteData, lang: str, names: dict) -> tuple[list, list]:
    """One section per region: the contacts covering it (each shown in full
    in the first region it covers, briefly with a link to that after), and
    the national services (in full in a section of their own)."""
    codes = list(names)
    helpers = [c for c in data.contacts.contacts if c.kind in schemas.LEGAL_HELP_KINDS]
    national = [c for c in helpers if set(codes) <= set(c.regions)]
    national_ids = {c.id for c in national}
    national_views = [contact_view(c, lang, names, national=True) for c in national]
    views = {c.id: contact_view(c, lang, names) for c in helpers if c.id not in national_ids}
    rank = {kind: i for i, kind in enumerate(schemas.LEGAL_HELP_KINDS)}
    shown: set[str] = set()
    sections = []
    for code in codes:
        local = sorted(
            (c for c in helpers if code in c.regions and c.id not in national_ids), key=lambda c: rank[c.kind]
        )
        entries = [{"contact": views[c.id], "full": c.id not in shown} for c in local]
        entries.sort(key=lambda e: not e["full"])  # new ones first, then those shown above
        shown.update(c.id for c in local)
        near = data.contacts.nearest.get(code)
        sections.append(
            {
                "code": code,
                "name": names[code],
                "contacts": entries,
                "national": national_views,
                "nearest": {"code": near, "name": names[near]} if near else None,
            }
        )
    return sections, national_views


def opcat_counts(states: list[dict]) -> dict:
    """Counts for the OPCAT page, computed from the rows (never typed in)."""
    parties = [s for s in states if s["status"] == "party"]
    return {
        "listed": len(states),
        "parties": len(parties),
        "signatories": sum(1 for s in states if s["status"] == "signatory"),
        "not_parties": sum(1 for s in states if s["status"] == "not-party"),
        "npm_designated": sum(1 for s in parties if s.get("npm_designated") is True),
        "npm_not_given": sum(1 for s in parties if s.get("npm_designated") is None),
        "by_model": {
            model: sum(1 for s in parties if s.get("npm_model") == model) for model in schemas.NPM_MODELS
        },
    }


def _opcat(opcat, lang: str) -> dict:
    rows = [dict(state) for state in opcat.states]
    states = sorted(
        (
            dict(
                row,
                name=row["name"][lang],
                region_name=opcat.regions[row["region"]][lang],
                note=_pick(row["note"], lang),
                source_site=_host(row["source"].url),
            )
            for row in rows
        ),
        key=lambda s: s["name"].casefold(),
    )
    return {
        "total": dict(opcat.total),
        "states": states,
        "counts": opcat_counts(rows),
        "regions": {code: names[lang] for code, names in opcat.regions.items()},
    }


def context_for(data: SiteData, lang: str) -> dict:
    """Template variables for one language's run, in that language."""
    ctx: dict = {"SITEDATA": data}
    names = {r.code: r.name[lang] for r in data.regions or ()}
    if data.contacts is not None and data.regions:
        ctx["LEGAL_HELP"], ctx["NATIONAL_HELP"] = _legal_help(data, lang, names)
        ctx["REHABILITATION"] = [
            contact_view(c, lang, names) for c in data.contacts.contacts if c.kind == "rehabilitation"
        ]
    if data.hotline is not None:
        contacts = {c.id: c for c in data.contacts.contacts}
        header = data.hotline.header
        ctx["HOTLINE"] = dict(_phone_view(header, contacts, lang, names), label=header.label[lang])
        ctx["DANGER"] = [_phone_view(pick, contacts, lang, names) for pick in data.hotline.danger]
    if data.opcat is not None:
        ctx["OPCAT"] = _opcat(data.opcat, lang)
    return ctx
