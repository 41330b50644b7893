"""Editable data files (content/data/*.yml): load, validate, prepare for templates.

Plain functions; ``__init__.register`` wires them to Pelican's signals.

- ``validate_<file>(path, ...) -> list[ContentError]`` check one file without
  building the site (for ``invoke check``); ``load_<file>(...)`` returns the
  data or raises the first ContentError.
- ``load_all(data_dir, langs)`` loads every file once per build (memoised on
  the files' modification times, so the three language runs share one load).
- ``context_for(data, lang)`` is what the templates get: ``HOTLINE``,
  ``LEGAL_HELP``, ``REHABILITATION``, ``OPCAT`` and ``SITEDATA``.

Every error names the file, the line, the entry and the field, and says what
would be right.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml

from sitekit.core import frontmatter
from sitekit.core.errors import ContentError

log = logging.getLogger(__name__)

LANGS = ("en", "ru", "ky")

# Services an organisation can offer (labels are theme strings, in
# theme/templates/partials/sitedata_labels.html).
SERVICES = (
    "legal-aid",
    "court-representation",
    "un-complaints",
    "rehabilitation",
    "medical",
    "psychological",
    "social",
)
# National preventive mechanism models, the APT's taxonomy.
NPM_MODELS = ("specialised-body", "nhri", "nhri-plus", "multiple-bodies", "other")
# An organisation appears on the legal-help page when it offers one of these.
LEGAL_SERVICES = ("legal-aid", "court-representation", "un-complaints")
OPCAT_STATUSES = ("party", "signatory", "not-party")
JOINED_BY = ("ratification", "accession")
# Numbers that must never be shown as a hotline, with the reason.
RETIRED_NUMBERS = {
    "+996554999222": "the National Centre for the Prevention of Torture's number; "
    "the Centre was abolished on 3 October 2025",
}

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MONTH_RE = re.compile(r"^\d{4}-\d{2}$")
_CODE_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_PHONE_RE = re.compile(r"^\+[0-9][0-9 ()-]{6,}[0-9]$")
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$")
_URL_RE = re.compile(r"^https?://\S+$")


# ---------------------------------------------------------------- YAML reading


class _Map(dict):
    """A YAML mapping that remembers the line of itself and of each key."""

    line: int | None = None
    key_lines: dict


class _Loader(yaml.SafeLoader):
    """Safe YAML with line numbers, and without implicit dates: dates stay
    text, so a wrong date gets our message instead of a YAML traceback."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _construct_map(loader, node):
    data = _Map()
    data.line = node.start_mark.line + 1
    data.key_lines = {}
    yield data
    for key_node, _ in node.value:
        data.key_lines[key_node.value] = key_node.start_mark.line + 1
    data.update(loader.construct_mapping(node))


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_map)


def read_yaml(path: Path):
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ContentError(path, "file", "not found") from None
    try:
        return yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise ContentError(
            path,
            "yaml",
            f"{exc.problem or exc}; check indentation, colons and quotes",
            line=mark.line + 1 if mark else None,
        ) from None


# ---------------------------------------------------------------- field checks


@dataclass(frozen=True)
class Source:
    title: str
    url: str


class _Checker:
    """Collects errors for one file; each check returns the cleaned value."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.errors: list[ContentError] = []

    def error(self, entry_map, field, message, entry=None):
        line = None
        if isinstance(entry_map, _Map):
            line = entry_map.key_lines.get(field.split(".")[0], entry_map.line)
        self.errors.append(ContentError(self.path, field, message, line=line, entry=entry))
        return None

    def present(self, m, field, entry):
        if not isinstance(m, dict) or field not in m:
            return self.error(m, field, "missing; add it", entry)
        return True

    def text(self, m, field, entry, *, optional=False):
        if optional and m.get(field) in (None, ""):
            return None
        if not self.present(m, field, entry):
            return None
        value = m[field]
        if isinstance(value, bool) or not isinstance(value, (str, int, float)) or str(value).strip() == "":
            return self.error(m, field, "must be a non-empty text", entry)
        return str(value).strip()

    def translated(self, m, field, entry, *, optional=False, langs=LANGS):
        if optional and m.get(field) is None:
            return None
        if not self.present(m, field, entry):
            return None
        value = m[field]
        if not isinstance(value, dict):
            return self.error(
                m,
                field,
                f"must give the text in each language: {{{', '.join(f'{lang}: ...' for lang in langs)}}}",
                entry,
            )
        out = {}
        for lang in langs:
            text = value.get(lang)
            if not isinstance(text, str) or not text.strip():
                self.error(
                    m,
                    f"{field}.{lang}",
                    f"missing or empty; write the {lang} text "
                    "(never leave another language's text in its place)",
                    entry,
                )
            else:
                out[lang] = text.strip()
        extra = set(value) - set(langs)
        if extra:
            self.error(
                m,
                field,
                f"unknown language(s) {', '.join(sorted(map(str, extra)))}; use {', '.join(langs)}",
                entry,
            )
        return out if len(out) == len(langs) else None

    def date(self, m, field, entry, *, month_ok=False):
        if not self.present(m, field, entry):
            return None
        return parse_date(m[field], month_ok=month_ok, on_error=lambda msg: self.error(m, field, msg, entry))

    def code(self, m, field, entry, allowed, what):
        if not self.present(m, field, entry):
            return None
        value = m[field]
        if value not in allowed:
            return self.error(m, field, f"unknown {what} {value!r}; use one of: {', '.join(allowed)}", entry)
        return value

    def codes(self, m, field, entry, allowed, what, *, allow_empty=False):
        if not self.present(m, field, entry):
            return None
        value = m[field]
        if not isinstance(value, list) or (not value and not allow_empty):
            return self.error(m, field, f"must be a list of {what}s, e.g. [{allowed[0]}]", entry)
        bad = [v for v in value if v not in allowed]
        if bad:
            return self.error(
                m,
                field,
                f"unknown {what} {', '.join(map(repr, bad))}; use one of: {', '.join(allowed)}",
                entry,
            )
        return list(value)

    def source(self, m, field, entry):
        if not self.present(m, field, entry):
            return None
        try:
            return parse_source(m[field])
        except ValueError as exc:
            return self.error(m, field, str(exc), entry)

    def phone(self, m, field, entry):
        """A phone in international form, in quotes; None (null) when not known."""
        if not self.present(m, field, entry):
            return None
        value = m[field]
        if value is None:
            return None
        if not isinstance(value, str):
            return self.error(
                m,
                field,
                f'put the number in quotes, e.g. "+996 312 00 00 00" (YAML read {value!r} as a number)',
                entry,
            )
        if not _PHONE_RE.match(value) or not 9 <= len(tel_of(value)) - 1 <= 15:
            return self.error(
                m,
                field,
                f"{value!r} is not an international number; write it "
                'like "+996 312 91 04 07" (country code, then the digits)',
                entry,
            )
        return value


def parse_date(value, *, month_ok=False, on_error=None):
    """'2026-11-23' -> date; with month_ok, '2026-11' -> (2026, 11) month."""

    def fail(msg):
        if on_error is None:
            raise ValueError(msg)
        return on_error(msg)

    text = str(value).strip() if isinstance(value, (str, int)) else None
    expected = "YYYY-MM-DD" + (" or YYYY-MM" if month_ok else "")
    if text is None:
        return fail(f"must be a date written {expected}, e.g. 2026-11-23")
    if month_ok and _MONTH_RE.match(text):
        try:
            return Month(date(int(text[:4]), int(text[5:7]), 1))
        except ValueError:
            return fail(f"{text!r} is not a real month; write {expected}")
    if not _DATE_RE.match(text):
        return fail(f"{text!r} is not a date written {expected}, e.g. 2026-11-23")
    try:
        return date.fromisoformat(text)
    except ValueError:
        return fail(f"{text!r} is not a real date (check month and day); write {expected}")


class Month:
    """A date known to the month only ('as of November 2026')."""

    def __init__(self, first_day: date):
        self.first_day = first_day

    def isoformat(self) -> str:
        return self.first_day.isoformat()[:7]

    def __eq__(self, other):
        return isinstance(other, Month) and other.first_day == self.first_day

    def __repr__(self):
        return f"Month({self.isoformat()})"


def parse_source(value) -> Source:
    """'Title | https://...' -> Source."""
    if not isinstance(value, str) or "|" not in value:
        raise ValueError(f"write it as 'Title | https://address', got {value!r}")
    # The title ends at the first '|' followed by a web address.
    m = re.match(r"^(.*?)\s*\|\s*(https?://.*)$", value.strip())
    title, url = (m.group(1), m.group(2).strip()) if m else value.rpartition("|")[::2]
    title, url = title.strip(), url.strip()
    if not title:
        raise ValueError(f"the title before '|' is empty in {value!r}")
    if not _URL_RE.match(url):
        raise ValueError(f"{url!r} is not a web address; it must start with https://")
    return Source(title, url)


def tel_of(number: str) -> str:
    """'+996 312 91 04 07' -> '+996312910407' (for tel: links)."""
    return "+" + re.sub(r"\D", "", number)


# ---------------------------------------------------------------- regions.yml


def validate_regions(path) -> list[ContentError]:
    return _regions(path)[1]


def load_regions(path) -> list[dict]:
    return _raise_first(*_regions(path))


def _regions(path):
    c = _Checker(path)
    try:
        raw = read_yaml(path)
    except ContentError as exc:
        return None, [exc]
    if not isinstance(raw, list) or not raw:
        return None, [ContentError(path, "regions", "must be a list of regions (- code: ...)")]
    out, seen = [], set()
    for i, m in enumerate(raw, 1):
        entry = m.get("code") if isinstance(m, dict) else None
        entry = str(entry) if entry else f"region #{i}"
        code = c.text(m, "code", entry)
        if code and not _CODE_RE.match(code):
            c.error(m, "code", f"{code!r}: use lowercase letters, digits and hyphens", entry)
        if code in seen:
            c.error(m, "code", f"{code!r} is listed twice", entry)
        seen.add(code)
        kind = c.code(m, "kind", entry, ("city", "oblast"), "kind")
        name = c.translated(m, "name", entry)
        out.append({"code": code, "kind": kind, "name": name})
    return out, c.errors


# ---------------------------------------------------------------- hotline.yml


def validate_hotline(path) -> list[ContentError]:
    return _hotline(path)[1]


def load_hotline(path) -> dict:
    return _raise_first(*_hotline(path))


def _hotline(path):
    c = _Checker(path)
    try:
        m = read_yaml(path)
    except ContentError as exc:
        return None, [exc]
    if not isinstance(m, dict):
        return None, [ContentError(path, "hotline", "must be a mapping (number: ..., tel: ...)")]
    entry = "hotline"
    number = c.phone(m, "number", entry)
    tel = c.text(m, "tel", entry)
    if number is None and "number" in m and m["number"] is None:
        c.error(m, "number", "the hotline needs a number", entry)
    if number and tel and tel != tel_of(number):
        c.error(m, "tel", f"{tel!r} does not match number {number!r}; write {tel_of(number)!r}", entry)
    if tel in RETIRED_NUMBERS:
        c.error(m, "tel", f"{tel} must not be the hotline: {RETIRED_NUMBERS[tel]}", entry)
    label = c.translated(m, "label", entry)
    source = c.source(m, "source", entry)
    reviewed = c.date(m, "reviewed", entry)
    c.text(m, "confidence", entry)
    data = {
        "number": number,
        "tel": tel,
        "label": label,
        "source": source,
        "reviewed": reviewed,
        "confidence": m.get("confidence"),
    }
    return data, c.errors


# ---------------------------------------------------------------- organisations.yml


def validate_organisations(path, regions: list[dict]) -> list[ContentError]:
    return _organisations(path, regions)[1]


def load_organisations(path, regions: list[dict]) -> dict:
    return _raise_first(*_organisations(path, regions))


def _organisations(path, regions):
    c = _Checker(path)
    try:
        raw = read_yaml(path)
    except ContentError as exc:
        return None, [exc]
    codes = tuple(r["code"] for r in regions)
    if not isinstance(raw, dict) or not isinstance(raw.get("organisations"), list):
        return None, [
            ContentError(path, "organisations", "the file needs a list `organisations:` (- id: ...)")
        ]
    orgs, seen = [], set()
    for i, m in enumerate(raw["organisations"], 1):
        entry = str(m.get("id")) if isinstance(m, dict) and m.get("id") else f"organisation #{i}"
        oid = c.text(m, "id", entry)
        if oid and not _CODE_RE.match(oid):
            c.error(m, "id", f"{oid!r}: use lowercase letters, digits and hyphens", entry)
        if oid in seen:
            c.error(m, "id", f"{oid!r} is used twice", entry)
        seen.add(oid)
        org = {
            "id": oid,
            "name": c.translated(m, "name", entry),
            "regions": c.codes(m, "regions", entry, codes, "region"),
            "services": c.codes(m, "services", entry, SERVICES, "service"),
            "phone": c.phone(m, "phone", entry),
            "address": c.translated(m, "address", entry, optional=True)
            if c.present(m, "address", entry)
            else None,
            "email": c.text(m, "email", entry, optional=True),
            "languages": c.codes(m, "languages", entry, LANGS, "language", allow_empty=True),
            "note": c.translated(m, "note", entry, optional=True),
            "source": c.source(m, "source", entry),
            "reviewed": c.date(m, "reviewed", entry),
        }
        if org["email"] and not _EMAIL_RE.match(org["email"]):
            c.error(m, "email", f"{org['email']!r} is not an e-mail address", entry)
        org["tel"] = tel_of(org["phone"]) if org["phone"] else None
        orgs.append(org)
    # Regions nobody serves must say where the nearest help is.
    nearest_raw = raw.get("nearest") or {}
    if not isinstance(nearest_raw, dict):
        c.error(
            raw, "nearest", "must map a region to the nearest region with help, e.g. {batken: osh}", "nearest"
        )
        nearest_raw = {}
    served = {code for org in orgs if is_legal_help(org) for code in (org["regions"] or [])}
    nearest = {}
    for region, near in nearest_raw.items():
        if region not in codes:
            c.error(
                nearest_raw, "nearest", f"unknown region {region!r}; use one of: {', '.join(codes)}", region
            )
        elif region in served:
            c.error(
                nearest_raw, "nearest", f"{region!r} has a legal-help organisation; remove it here", region
            )
        elif near not in served:
            c.error(
                nearest_raw,
                "nearest",
                f"{near!r} is not a region a legal-help organisation serves; "
                f"use one of: {', '.join(code for code in codes if code in served)}",
                region,
            )
        else:
            nearest[region] = near
    for region in codes:
        if region not in served and region not in nearest and not c.errors:
            c.error(
                raw,
                "nearest",
                f"no organisation serves {region!r}: add "
                f"`{region}: <nearest region with help>` under `nearest:`",
                region,
            )
    return {"organisations": orgs, "nearest": nearest}, c.errors


# ---------------------------------------------------------------- opcat.yml


def validate_opcat(path) -> list[ContentError]:
    return _opcat(path)[1]


def load_opcat(path) -> dict:
    return _raise_first(*_opcat(path))


def _opcat(path):
    c = _Checker(path)
    try:
        raw = read_yaml(path)
    except ContentError as exc:
        return None, [exc]
    if not isinstance(raw, dict):
        return None, [ContentError(path, "opcat", "must have `total:`, `regions:` and `states:`")]
    total_m = raw.get("total")
    total = None
    if not isinstance(total_m, dict):
        c.error(raw, "total", "missing; add `total:` with parties, signatories, as_of, source", "total")
    else:
        total = {}
        for field in ("parties", "signatories"):
            value = total_m.get(field)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                c.error(total_m, field, "must be a whole number from the UN Treaty Collection", "total")
            total[field] = value
        total["as_of"] = c.date(total_m, "as_of", "total", month_ok=True)
        total["source"] = c.source(total_m, "source", "total")
    regions = {}
    if not isinstance(raw.get("regions"), dict) or not raw["regions"]:
        c.error(
            raw,
            "regions",
            "missing; list the world regions used, e.g. central-asia: {en: ..., ru: ..., ky: ...}",
            "regions",
        )
    else:
        for code, names in raw["regions"].items():
            holder = _Map({"name": names})
            holder.line, holder.key_lines = raw["regions"].key_lines.get(code), {}
            regions[code] = c.translated(holder, "name", f"region {code}")
    states, seen = [], set()
    if not isinstance(raw.get("states"), list):
        c.error(raw, "states", "missing; add `states:` (- id: kg ...)", "states")
        raw["states"] = []
    for i, m in enumerate(raw["states"], 1):
        entry = str(m.get("id")) if isinstance(m, dict) and m.get("id") else f"state #{i}"
        sid = c.text(m, "id", entry)
        if sid in seen:
            c.error(m, "id", f"{sid!r} is used twice", entry)
        seen.add(sid)
        state = {
            "id": sid,
            "name": c.translated(m, "name", entry),
            "region": c.code(m, "region", entry, tuple(regions), "region"),
            "status": c.code(m, "status", entry, OPCAT_STATUSES, "status"),
            "note": c.translated(m, "note", entry, optional=True),
            "source": c.source(m, "source", entry),
            "reviewed": c.date(m, "reviewed", entry),
            "joined": None,
            "joined_by": None,
            "npm_designated": None,
            "npm_model": None,
        }
        if state["status"] == "party":
            state["joined"] = c.date(m, "joined", entry)
            state["joined_by"] = c.code(m, "joined_by", entry, JOINED_BY, "way of joining")
            designated = m.get("npm_designated")
            if not isinstance(designated, bool):
                c.error(m, "npm_designated", "must be true or false for a State party", entry)
            state["npm_designated"] = designated
            if designated is True:
                state["npm_model"] = c.code(m, "npm_model", entry, NPM_MODELS, "NPM model")
            elif m.get("npm_model") is not None:
                c.error(
                    m, "npm_model", "only for a State that designated its NPM (npm_designated: true)", entry
                )
        elif state["status"] is not None:
            for field in ("joined", "joined_by", "npm_designated", "npm_model"):
                if m.get(field) is not None:
                    c.error(m, field, f"only for a State party; this one is {state['status']}", entry)
        states.append(state)
    if total and isinstance(total.get("parties"), int):
        parties = sum(1 for s in states if s["status"] == "party")
        if parties > total["parties"]:
            c.error(
                total_m,
                "parties",
                f"{total['parties']} is fewer than the {parties} States parties listed below",
                "total",
            )
    return {"total": total, "regions": regions, "states": states}, c.errors


def opcat_counts(states: list[dict]) -> dict:
    """Counts for the OPCAT page, computed from the rows (never typed in)."""
    parties = [s for s in states if s["status"] == "party"]
    return {
        "listed": len(states),
        "parties": len(parties),
        "signatories": sum(1 for s in states if s["status"] == "signatory"),
        "not_parties": sum(1 for s in states if s["status"] == "not-party"),
        "npm_designated": sum(1 for s in parties if s["npm_designated"]),
        "by_model": {model: sum(1 for s in parties if s["npm_model"] == model) for model in NPM_MODELS},
    }


# ---------------------------------------------------------------- all files

FILES = ("regions.yml", "hotline.yml", "organisations.yml", "opcat.yml")


def validate_all(data_dir) -> list[ContentError]:
    """Every problem in every data file, for ``invoke check`` (no build)."""
    data_dir = Path(data_dir)
    errors: list[ContentError] = []
    regions = None
    if (data_dir / "regions.yml").exists():
        regions, errs = _regions(data_dir / "regions.yml")
        errors += errs
    if (data_dir / "hotline.yml").exists():
        errors += validate_hotline(data_dir / "hotline.yml")
    if (data_dir / "organisations.yml").exists():
        if regions is None or any(r["code"] is None for r in regions):
            errors.append(
                ContentError(data_dir / "regions.yml", "file", "needed (valid) by organisations.yml")
            )
        else:
            errors += validate_organisations(data_dir / "organisations.yml", regions)
    if (data_dir / "opcat.yml").exists():
        errors += validate_opcat(data_dir / "opcat.yml")
    return errors


@dataclass
class SiteData:
    regions: list | None = None
    hotline: dict | None = None
    organisations: dict | None = None
    opcat: dict | None = None


_cache: dict = {}


def load_all(data_dir) -> SiteData:
    """Load and validate every data file present; raise the first ContentError.

    Memoised on the files' paths and modification times, so the language
    runs of one build (and unchanged rebuilds) read each file once."""
    data_dir = Path(data_dir)
    stamp = tuple(
        (name, (data_dir / name).stat().st_mtime_ns) for name in FILES if (data_dir / name).exists()
    )
    key = (str(data_dir.resolve()), stamp)
    if key in _cache:
        return _cache[key]
    data = SiteData()
    if (data_dir / "regions.yml").exists():
        data.regions = load_regions(data_dir / "regions.yml")
    if (data_dir / "hotline.yml").exists():
        data.hotline = load_hotline(data_dir / "hotline.yml")
    if (data_dir / "organisations.yml").exists():
        if data.regions is None:
            raise ContentError(
                data_dir / "regions.yml", "file", "not found; organisations.yml refers to its region codes"
            )
        data.organisations = load_organisations(data_dir / "organisations.yml", data.regions)
    if (data_dir / "opcat.yml").exists():
        data.opcat = load_opcat(data_dir / "opcat.yml")
    _cache.clear()
    _cache[key] = data
    return data


def _raise_first(data, errors):
    if errors:
        raise errors[0]
    return data


# ---------------------------------------------------------------- template context


def is_legal_help(org) -> bool:
    return bool(set(org.get("services") or ()) & set(LEGAL_SERVICES))


def _pick(value, lang):
    return value.get(lang) if isinstance(value, dict) else value


def _org_view(org, lang):
    return dict(
        org, name=org["name"][lang], address=_pick(org["address"], lang), note=_pick(org["note"], lang)
    )


def context_for(data: SiteData, lang: str) -> dict:
    """Template variables for one language's run, in that language."""
    ctx: dict = {"SITEDATA": data}
    if data.hotline:
        h = data.hotline
        ctx["HOTLINE"] = {
            "number": h["number"],
            "tel": h["tel"],
            "label": h["label"][lang],
            "source": h["source"],
            "reviewed": h["reviewed"],
        }
    if data.organisations is not None and data.regions:
        orgs = data.organisations["organisations"]
        names = {r["code"]: r["name"][lang] for r in data.regions}
        sections = []
        for region in data.regions:
            here = [_org_view(o, lang) for o in orgs if region["code"] in o["regions"] and is_legal_help(o)]
            near = data.organisations["nearest"].get(region["code"])
            sections.append(
                {
                    "code": region["code"],
                    "name": names[region["code"]],
                    "organisations": here,
                    "nearest": {
                        "code": near,
                        "name": names[near],
                        "organisations": [
                            _org_view(o, lang) for o in orgs if near in o["regions"] and is_legal_help(o)
                        ],
                    }
                    if near
                    else None,
                }
            )
        ctx["LEGAL_HELP"] = sections
        ctx["REHABILITATION"] = [
            dict(_org_view(o, lang), region_names=[names[c] for c in o["regions"]])
            for o in orgs
            if "rehabilitation" in o["services"]
        ]
    if data.opcat:
        o = data.opcat
        states = sorted(
            (
                dict(
                    s,
                    name=s["name"][lang],
                    region_name=o["regions"][s["region"]][lang],
                    note=_pick(s["note"], lang),
                )
                for s in o["states"]
            ),
            key=lambda s: s["name"].casefold(),
        )
        ctx["OPCAT"] = {
            "total": o["total"],
            "states": states,
            "counts": opcat_counts(o["states"]),
            "regions": {k: v[lang] for k, v in o["regions"].items()},
        }
    return ctx


# ---------------------------------------------------------------- pages' front matter

# Templates that render data: the file each one needs.
TEMPLATE_NEEDS = {"legal_help": "organisations", "rehabilitation": "organisations", "opcat": "opcat"}


def parse_sources(value, path) -> list[Source]:
    """The ``Sources:`` front matter: one 'Title | URL' per line (repeat the
    ``Sources:`` line, or indent the next lines by four spaces)."""
    lines = value if isinstance(value, list) else [value]
    out = []
    for line in lines:
        for part in (p for p in str(line).splitlines() if p.strip()):
            try:
                out.append(parse_source(part))
            except ValueError as exc:
                raise ContentError(path, "Sources", str(exc)) from None
    return out


def prepare_page(content) -> None:
    """Check a page's or post's Sources and Reviewed, and parse Sources and
    Keywords into lists (``page.source_list``, ``page.keyword_list``)."""
    path = getattr(content, "source_path", "?")
    meta = content.metadata
    if "sources" in meta:
        content.source_list = parse_sources(meta["sources"], path)
    else:
        content.source_list = []
    if "reviewed" in meta:
        value = meta["reviewed"]
        value = value if isinstance(value, str) else str(value)
        try:
            content.reviewed_date = parse_date(value)
        except ValueError as exc:
            raise ContentError(path, "Reviewed", str(exc)) from None
    keywords = meta.get("keywords", "")
    if isinstance(keywords, list):
        keywords = ",".join(keywords)
    content.keyword_list = [k.strip() for k in str(keywords).split(",") if k.strip()]


REQUIRED_PAGE_FIELDS = ("title", "reviewed", "sources", "summary", "keywords")


def check_page_file(path) -> list[ContentError]:
    """Front matter of one page file, without building: the required fields
    are there, Sources and Reviewed are well formed, and no phone number or
    e-mail address is written in the text (they belong in data files)."""
    path = Path(path)
    errors = []
    meta, body_start = read_front_matter(path)
    for field in REQUIRED_PAGE_FIELDS:
        if not meta.get(field):
            errors.append(ContentError(path, field.capitalize(), "missing; add it to the front matter"))
    if meta.get("sources"):
        try:
            parse_sources(meta["sources"], path)
        except ContentError as exc:
            errors.append(exc)
    if meta.get("reviewed"):
        try:
            parse_date(meta["reviewed"])
        except ValueError as exc:
            errors.append(ContentError(path, "Reviewed", str(exc)))
    lines = path.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines[body_start:], body_start + 1):
        if re.search(r"(\+?\d[\d ()-]{7,}\d)", re.sub(r"\(https?://[^)]*\)", "", line)) or re.search(
            r"[^@\s(]+@[^@\s]+\.[a-z]{2,}", line
        ):
            errors.append(
                ContentError(
                    path,
                    "text",
                    "looks like a phone number or e-mail address: contact details go in content/data/*.yml",
                    line=number,
                )
            )
    return errors


def read_front_matter(path) -> tuple[dict, int]:
    """Front matter as Pelican's Markdown reader sees it (lowercase keys;
    repeated keys and indented continuation lines become lists), and the
    index of the first body line."""
    fm = frontmatter.read(path)
    return fm.flat(), fm.body_start


def needs_translation_review(content_dir) -> list[Path]:
    """Pages and posts whose front matter says ``Translation_review: needed``."""
    out = []
    for path in sorted(Path(content_dir).glob("*/*/*.md")):
        meta, _ = read_front_matter(path)
        if str(meta.get("translation_review", "")).strip().lower() == "needed":
            out.append(path)
    return out


def check(settings) -> list[ContentError]:
    """For `invoke check` (CONTENT_VALIDATORS): the data files. Pages'
    front matter and text are checked by sitekit.core.sources."""
    return validate_all(Path(settings["PATH"]) / "data")
