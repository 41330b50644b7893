"""The front matter of pages, posts and events: every field an editor may
write, its type, whether it is required, and its parser. `invoke check` and
the build both call ``check_file`` (the build before Pelican reads
anything), so they cannot disagree about what is valid.

Rules that need more than one file (translations, links, events' shared
fields across languages, regions) live with the code that has that
knowledge; everything about one field of one file is here."""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import values
from .errors import ContentError
from .frontmatter import FrontMatter


@dataclass(frozen=True)
class Field:
    name: str
    help: str  # what to write, shown in messages
    parse: Callable | None = None  # raises ValueError with what would be right
    required: bool = False
    many: bool = False  # one value per line (Sources)


def _choice(*allowed: str) -> Callable:
    def parse(value):
        text = str(value).strip().lower()
        if text not in allowed:
            raise ValueError(f"'{value}': write one of {', '.join(allowed)}")
        return text

    return parse


def _text(value):
    if not str(value).strip():
        raise ValueError("empty; write the text or remove the line")
    return str(value).strip()


def _post_date(value):
    return values.parse_date_or_datetime(value)


_COMMON = (
    Field("title", "the title, in the page's language", _text, required=True),
    Field("summary", "one or two sentences shown in listings and search results", _text),
    Field(
        "translation_review",
        "'needed' when a native speaker should check the text",
        _choice("needed", "done"),
    ),
    Field(
        "translated_from",
        "the date of the source text this translation follows, YYYY-MM-DD",
        values.parse_date,
    ),
    Field("sample", "'yes' for example content that must not be published", values.parse_yes_no),
)
_PAGE_AND_POST = (
    Field("reviewed", "the date the facts were last checked, YYYY-MM-DD", values.parse_date),
    Field("sources", "one 'Title | https://address' per line", values.parse_source, many=True),
    Field("keywords", "comma-separated words used to match related news", _text),
    Field("tags", "comma-separated tags", _text),
    Field("modified", "date of the last real change, YYYY-MM-DD", values.parse_date),
    Field("status", "published (default), draft or hidden", _choice("published", "draft", "hidden")),
    Field("template", "the page layout, e.g. home", _text),
    Field(
        "share_image",
        "a picture for link previews instead of the drawn one, e.g. images/june-26.png",
        values.parse_image_path,
    ),
    Field("share_image_alt", "what the share image shows, in a few words", _text),
)
PAGE_FIELDS = (
    *_COMMON,
    *_PAGE_AND_POST,
    Field("menu_order", "a number: the page's place in the main menu", values.parse_int),
    Field("menu_label", "a short name for the main menu", _text),
)
POST_FIELDS = (
    *_COMMON,
    *_PAGE_AND_POST,
    Field(
        "date",
        "publication date, YYYY-MM-DD or YYYY-MM-DD HH:MM",
        _post_date,
        required=True,
    ),
)
EVENT_FIELDS = (
    *_COMMON,
    Field("venue", "where it takes place", _text),
    Field("address", "the venue's address", _text),
    Field("organiser", "who organises it", _text),
    Field(
        "start",
        "'2027-06-26 10:00' (local time) or '2027-06-26' for a whole day",
        values.parse_date_or_datetime,
    ),
    Field("end", "like start; at or after it", values.parse_date_or_datetime),
    Field("timezone", "an IANA time zone name such as Asia/Bishkek", values.parse_timezone),
    Field("region", "a region code from content/data/regions.yml", values.parse_slug),
    Field("campaign", "a campaign code from content/schedules/campaigns.yml", values.parse_slug),
    Field("online", "a web address starting with https://", values.parse_url),
    Field(
        "status",
        "scheduled (default), cancelled or postponed",
        _choice("scheduled", "cancelled", "canceled", "postponed"),
    ),
)
FIELDS = {"pages": PAGE_FIELDS, "posts": POST_FIELDS, "events": EVENT_FIELDS}
KINDS = tuple(FIELDS)

# Fields that would break the rules that a translation shares its file name
# and that the language comes from the folder.
FORBIDDEN = {
    "slug": "the slug is the file name: rename the file instead",
    "lang": "the language comes from the folder (content/en, content/ru, ...): move the file",
    "url": "addresses come from the file name: rename the file instead",
    "save_as": "addresses come from the file name: rename the file instead",
    "translation": "translations are linked by file name: remove this field",
}


def fields(kind: str) -> dict[str, Field]:
    return {f.name: f for f in FIELDS[kind]}


def check_front_matter(path: Path, kind: str, fm: FrontMatter) -> list[ContentError]:
    """Every error of one file's front matter: forbidden, unknown or
    misspelt fields, missing required ones, values that do not parse."""
    known = fields(kind)
    errors = []
    for name, texts in fm.values.items():
        line = fm.lines[name]
        if name in FORBIDDEN:
            errors.append(ContentError(path, name, FORBIDDEN[name], line=line))
            continue
        spec = known.get(name)
        if spec is None:
            guess = difflib.get_close_matches(name, known, n=1)
            hint = f"did you mean '{guess[0]}'?" if guess else "the fields are " + ", ".join(sorted(known))
            errors.append(ContentError(path, name, f"unknown field; {hint}", line=line))
            continue
        # An empty value counts as absent (a new page from `invoke new` has
        # empty Summary and Sources lines); required fields are checked below.
        if spec.many:
            items = [(t, n) for t, n in zip(texts, fm.value_lines[name], strict=True) if t.strip()]
        else:
            items = [(fm.text(name), line)] if fm.text(name).strip() else []
        for item, item_line in items:
            try:
                if spec.parse:
                    spec.parse(item)
            except ValueError as exc:
                errors.append(ContentError(path, name, f"{exc} ({spec.help})", line=item_line))
    for spec in known.values():
        if spec.required and not fm.text(spec.name).strip():
            errors.append(
                ContentError(
                    path,
                    spec.name,
                    f"missing; add a line '{spec.name.capitalize()}: ...' at the top ({spec.help})",
                    line=1,
                )
            )
    if not values.SLUG_RE.match(path.stem):
        suggestion = values.suggest_slug(path.stem)
        errors.append(
            ContentError(
                path,
                "file name",
                "use lowercase Latin letters, digits and hyphens (it becomes the address), "
                f"e.g. {suggestion}{path.suffix}",
            )
        )
    return errors


def parsed(kind: str, fm: FrontMatter, name: str, default=None):
    """One field's value, parsed (after check_front_matter found no error)."""
    spec = fields(kind)[name]
    if name not in fm.values:
        return default
    if spec.many:
        return [spec.parse(t) for t in fm.values[name] if t.strip()]
    if not fm.text(name).strip():
        return default
    return spec.parse(fm.text(name)) if spec.parse else fm.text(name)
