"""Rules between entries and between files, after each file has passed its
schema: ids used once, regions that exist, every region with a way to reach
legal help (or the nearest region that has one), the header's and the home
page's numbers taken from contacts.yml, and the OPCAT rows against the
sourced UN total.

Each function takes the validated data and the YAML as read (for the lines)
and returns ContentErrors; ``DataWarning`` marks the ones that must not stop
a build."""

from __future__ import annotations

from pathlib import Path

from sitekit.core import values
from sitekit.core.errors import ContentError, ContentWarning

from . import schemas


class DataWarning(ContentWarning):
    """A problem in a data file to show, not to stop on."""


def _line(raw_item, field: str) -> int | None:
    line_of = getattr(raw_item, "line_of", None)
    return line_of(field) if line_of else None


def _items(raw, key: str | None = None) -> list:
    """The raw list (of a top-level key), to find lines in; [] if not a list."""
    node = raw.get(key) if key and isinstance(raw, dict) else raw
    return node if isinstance(node, list) else []


def unique_ids(path: Path, entries, raw_items, field: str) -> list[ContentError]:
    seen: set = set()
    errors = []
    for entry, raw in zip(entries, raw_items, strict=False):
        value = getattr(entry, field)
        if value in seen:
            errors.append(
                ContentError(
                    path, field, f"'{value}' is used twice; give each entry its own", _line(raw, field), value
                )
            )
        seen.add(value)
    return errors


def region_codes(regions) -> list[str]:
    return [r.code for r in regions]


def check_regions(path: Path, regions, raw) -> list[ContentError]:
    return unique_ids(path, regions, _items(raw), "code")


def reachable(contact) -> bool:
    """Legal help a reader can reach from the page: a tel:, mailto: or web link."""
    return (
        contact.kind in schemas.LEGAL_HELP_KINDS
        and not contact.sample
        and any(ch.type in schemas.LINK_TYPES for ch in contact.channels)
    )


def check_contacts(path: Path, data, raw, codes: list[str]) -> list[ContentError]:
    raw_contacts = _items(raw, "contacts")
    errors = unique_ids(path, data.contacts, raw_contacts, "id")
    known = ", ".join(codes)
    for contact, raw_item in zip(data.contacts, raw_contacts, strict=False):
        for code in contact.regions:
            if code not in codes:
                errors.append(
                    ContentError(
                        path,
                        "regions",
                        f"unknown region '{code}'; use one of: {known}",
                        _line(raw_item, "regions"),
                        contact.id,
                    )
                )
    return errors + _check_coverage(path, data, raw, codes)


def _check_coverage(path: Path, data, raw, codes: list[str]) -> list[ContentError]:
    """Every region can reach legal help, or names the nearest region that can."""
    served = {code for c in data.contacts if reachable(c) for code in c.regions}
    raw_nearest = raw.get("nearest") if isinstance(raw, dict) else None
    errors = []

    def error(region, message):
        errors.append(ContentError(path, "nearest", message, _line(raw_nearest or raw, region), region))

    for region, near in data.nearest.items():
        if region not in codes:
            error(region, f"unknown region '{region}'; use one of: {', '.join(codes)}")
        elif region in served:
            error(region, f"'{region}' has a legal-help contact of its own; remove it here")
        elif near not in served:
            usable = ", ".join(code for code in codes if code in served) or "none yet"
            error(
                region,
                f"'{near}' has no legal-help contact with a phone, e-mail or web address; use: {usable}",
            )
    for region in codes:
        if region not in served and region not in data.nearest:
            errors.append(
                ContentError(
                    path,
                    "nearest",
                    f"no legal-help contact with a phone, e-mail or web address covers '{region}': "
                    f"add one, or add `{region}: <nearest region with help>` under `nearest:`",
                    _line(raw, "contacts"),
                    region,
                )
            )
    return errors


def check_hotline(path: Path, data, raw, contacts) -> list[ContentError]:
    """The header's and the home page's numbers are phones of contacts.yml;
    the home page's "in danger now" lists only emergency services."""
    by_id = {c.id: c for c in contacts}
    picks = [("header", data.header, raw.get("header") if isinstance(raw, dict) else None)]
    for i, (pick, raw_pick) in enumerate(zip(data.danger, _items(raw, "danger"), strict=False), 1):
        picks.append((f"danger {i}", pick, raw_pick))
    errors = []
    for entry, pick, raw_pick in picks:
        tel = values.tel_of(pick.phone)
        contact = by_id.get(pick.contact)
        message, field = None, "phone"
        if tel in schemas.RETIRED_NUMBERS:
            message = f"{pick.phone} is {schemas.RETIRED_NUMBERS[tel]}; never show it"
        elif contact is None:
            field = "contact"
            message = f"no contact '{pick.contact}' in contacts.yml; use one of its ids"
        elif contact.sample:
            field = "contact"
            message = f"'{contact.id}' is a sample entry, not a real contact"
        elif entry != "header" and contact.kind != "emergency":
            field = "contact"
            message = (
                f"'{contact.id}' is not an emergency service (kind: emergency); the home page "
                "sends people in danger only to emergency numbers"
            )
        else:
            phones = [ch.value for ch in contact.channels if ch.type == "phone"]
            if tel not in {values.tel_of(p) for p in phones}:
                listed = ", ".join(phones) or "none"
                message = f"'{pick.phone}' is not a phone of '{contact.id}'; its phones: {listed}"
        if message:
            errors.append(ContentError(path, field, message, _line(raw_pick, field), entry))
    return errors


def check_opcat(path: Path, data, raw) -> list[ContentError]:
    raw_states = _items(raw, "states")
    errors = unique_ids(path, data.states, raw_states, "id")
    regions = list(data.regions)
    for state, raw_item in zip(data.states, raw_states, strict=False):
        if state.region not in data.regions:
            errors.append(
                ContentError(
                    path,
                    "region",
                    f"unknown region '{state.region}'; define it under `regions:` or use one of: "
                    + ", ".join(regions),
                    _line(raw_item, "region"),
                    state.id,
                )
            )
    return errors + opcat_total_warnings(path, data, raw)


def opcat_total_warnings(path: Path, data, raw) -> list[ContentError]:
    """The rows list some States; the UN total is a cross-check: more
    parties (or signatories) in the rows than in the total is a mismatch."""
    raw_total = raw.get("total") if isinstance(raw, dict) else None
    warnings = []
    for status, field, words in (
        ("party", "parties", "States parties"),
        ("signatory", "signatories", "signatories"),
    ):
        listed = sum(1 for s in data.states if s.status == status)
        total = getattr(data.total, field)
        if listed > total:
            warnings.append(
                DataWarning(
                    path,
                    field,
                    f"the table lists {listed} {words} but the UN total says {total}: "
                    "check the rows and the total against the UN Treaty Collection",
                    _line(raw_total, field),
                    "total",
                )
            )
    return warnings
