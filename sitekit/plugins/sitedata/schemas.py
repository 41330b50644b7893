"""What each data file may contain: pydantic models, one per kind of entry.

Unknown keys are errors (``extra="forbid"``, and a friendlier check before
it that suggests the nearest known key). Values are parsed by
``sitekit.core.values``, so a date, a phone number or a source is read the
same way here as in pages and events. Text in several languages is checked
against the site's languages, passed in the validation context
(``{"langs": ("en", "ru", "ky")}``).

Rules between entries or files (a region that must exist, an id used twice,
the OPCAT total against the rows) are plain functions in ``crosscheck``."""

from __future__ import annotations

import difflib
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    StrictBool,
    StrictInt,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from sitekit.core import values

# Kinds of organisation or service in contacts.yml.
CONTACT_KINDS = (
    "legal-aid-state",  # the state's free legal aid service and its offices
    "ombudsperson",
    "prosecutor",
    "ngo",  # a human rights organisation
    "rehabilitation",  # shown on the rehabilitation page
    "emergency",  # police, ambulance, unified dispatch: the home page's "in danger now"
    "other",
)
# Kinds shown on the legal-help page.
LEGAL_HELP_KINDS = ("legal-aid-state", "ombudsperson", "prosecutor", "ngo", "other")
CHANNEL_TYPES = ("phone", "email", "web", "form", "address")
# Channel types a reader can follow from the page (a tel:, mailto: or web link).
LINK_TYPES = ("phone", "email", "web", "form")
# National preventive mechanism models, the APT's taxonomy.
NPM_MODELS = ("specialised-body", "nhri", "nhri-plus", "multiple-bodies", "other")
OPCAT_STATUSES = ("party", "signatory", "not-party")
JOINED_BY = ("ratification", "accession", "succession")
# Numbers that must never be shown, with the reason.
RETIRED_NUMBERS = {
    "+996554999222": "the National Centre for the Prevention of Torture's number; "
    "the Centre was abolished on 3 October 2025",
}


def _parser(parse):
    """A pydantic validator from a sitekit.core.values parser (ValueError
    -> a validation error with the parser's message)."""
    return PlainValidator(lambda value: parse(value))


Date = Annotated[date, _parser(values.parse_date)]
DateOrMonth = Annotated[Any, _parser(values.parse_date_or_month)]
SourceField = Annotated[values.Source, _parser(values.parse_source)]
Slug = Annotated[str, _parser(values.parse_slug)]


def _translated(value, info: ValidationInfo) -> dict[str, str]:
    langs = tuple((info.context or {}).get("langs") or ())
    example = "{" + (", ".join(f"{lang}: ..." for lang in langs) or "en: ...") + "}"
    if not isinstance(value, dict):
        raise PydanticCustomError(
            "translated", "write the text in each language: {example}", {"example": example}
        )
    extra = [str(k) for k in value if k not in langs]
    if langs and extra:
        raise PydanticCustomError(
            "translated",
            "unknown language {extra}; the site's languages are {langs}",
            {"extra": ", ".join(extra), "langs": ", ".join(langs)},
        )
    for lang in langs or value:
        text = value.get(lang)
        if not isinstance(text, str) or not text.strip():
            raise PydanticCustomError(
                "missing_language",
                "missing or empty; write the {lang} text (never leave another language's text in its place)",
                {"lang": lang},
            )
    return {lang: value[lang].strip() for lang in (langs or value)}


Translated = Annotated[dict[str, str], PlainValidator(_translated)]
NonEmpty = Annotated[str, Field(min_length=1)]


class Entry(BaseModel):
    """Every entry: unknown keys are errors, named with the nearest known one."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, arbitrary_types_allowed=True)

    @model_validator(mode="before")
    @classmethod
    def _known_keys(cls, data):
        if isinstance(data, dict):
            known = [name for name in cls.model_fields]
            for key in data:
                if key not in known:
                    guess = difflib.get_close_matches(str(key), known, n=1)
                    hint = f"did you mean '{guess[0]}'?" if guess else "the keys here are " + ", ".join(known)
                    raise PydanticCustomError(
                        "unknown_key", "unknown key '{key}'; {hint}", {"key": str(key), "hint": hint}
                    )
        return data


# ---------------------------------------------------------------- regions.yml


class Region(Entry):
    code: Slug
    kind: Literal["city", "oblast"]
    name: Translated


# ---------------------------------------------------------------- contacts.yml


class Channel(Entry):
    """One way to reach a contact, with where it was found and when."""

    type: Literal["phone", "email", "web", "form", "address"]
    value: str
    purpose: Translated
    source: SourceField
    seen: Date  # the day someone saw it in the source
    source_date: DateOrMonth | None = None  # the date the source itself gives
    confirmed: Date | None = None  # the day a person confirmed it (by calling)

    @field_validator("value", mode="before")
    @classmethod
    def _value(cls, value, info: ValidationInfo):
        kind = info.data.get("type")
        if kind == "phone":
            number = values.parse_phone(value)
            retired = RETIRED_NUMBERS.get(values.tel_of(number))
            if retired:
                raise ValueError(f"{number} is {retired}; never show it")
            return number
        if kind == "email":
            return values.parse_email(value)
        if kind in ("web", "form"):
            return values.parse_url(value)
        if not isinstance(value, str) or not value.strip():
            raise ValueError("must be the text of the address")
        return value.strip()


class Contact(Entry):
    id: Slug
    kind: Literal[CONTACT_KINDS]  # type: ignore[valid-type]
    name: Translated
    regions: list[Slug] = Field(min_length=1)
    address: Translated | None = None
    channels: list[Channel] = Field(min_length=1)
    note: Translated | None = None
    sample: StrictBool = False  # an example entry, not a real contact

    @model_validator(mode="after")
    def _address_has_a_source(self):
        if self.address is not None and not any(ch.type == "address" for ch in self.channels):
            raise PydanticCustomError(
                "field_rule",
                "an address needs its source: add a channel with type: address, source and seen",
                {"field": "address"},
            )
        return self


class ContactsFile(Entry):
    # A region with no legal-help contact it can reach by phone, e-mail or
    # web -> the nearest region that has one.
    nearest: dict[Slug, Slug] = Field(default_factory=dict)
    contacts: list[Contact] = Field(min_length=1)


# ---------------------------------------------------------------- hotline.yml


class Pick(Entry):
    """A phone number of a contact in contacts.yml."""

    contact: Slug
    phone: Annotated[str, _parser(values.parse_phone)]


class HeaderLine(Pick):
    label: Translated  # what the number is for, shown before it


class HotlineFile(Entry):
    header: HeaderLine  # in every page's header
    danger: list[Pick] = Field(default_factory=list)  # the home page's "in danger now"


# ---------------------------------------------------------------- opcat.yml


class Total(Entry):
    parties: StrictInt = Field(ge=0)
    signatories: StrictInt = Field(ge=0)
    as_of: DateOrMonth
    source: SourceField


class State(Entry):
    id: Slug
    name: Translated
    region: Slug
    status: Literal["party", "signatory", "not-party"]
    joined: Date | None = None
    joined_by: Literal["ratification", "accession", "succession"] | None = None
    npm_designated: StrictBool | None = None
    npm_model: Literal[NPM_MODELS] | None = None  # type: ignore[valid-type]
    note: Translated | None = None
    source: SourceField
    reviewed: Date

    @model_validator(mode="after")
    def _party_fields(self):
        if self.status != "party":
            for name in ("joined", "joined_by", "npm_designated", "npm_model"):
                if getattr(self, name) is not None:
                    raise PydanticCustomError(
                        "field_rule",
                        "only for a State party; this one is {status}: remove it",
                        {"field": name, "status": self.status},
                    )
        elif self.npm_model is not None and self.npm_designated is not True:
            raise PydanticCustomError(
                "field_rule",
                "only for a State that designated its NPM (npm_designated: true)",
                {"field": "npm_model"},
            )
        return self


class OpcatFile(Entry):
    total: Total
    regions: dict[Slug, Translated] = Field(min_length=1)
    states: list[State]


# What each file's top level must be, said when it is something else.
SHAPES = {
    "regions.yml": "a list of regions, each starting with '- code: ...'",
    "contacts.yml": "a mapping with 'contacts:' (a list of '- id: ...' entries)",
    "hotline.yml": "a mapping with 'header:' (contact, phone, label) and 'danger:'",
    "opcat.yml": "a mapping with 'total:', 'regions:' and 'states:'",
}
