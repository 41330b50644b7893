"""Unit tests of the sitedata plugin: loading and validating content/data/*.yml
(schemas, the rules between files, the messages), the template context and
pages' front matter, without building the site."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest

from sitekit.core.errors import ContentError
from sitekit.core.site import build_context
from sitekit.core.sources import contacts_in_text
from sitekit.plugins.sitedata import glue, sitedata

ROOT = Path(__file__).resolve().parent.parent

DATA = ROOT / "content" / "data"
LANGS = ("en", "ru", "ky")

# A small OPCAT file of our own, so that these tests do not depend on the
# rows of the bundled one (which editors change).
OPCAT = """\
total:
  parties: 94
  signatories: 76
  as_of: 2026-11
  source: UN Treaty Collection | https://treaties.un.org/
regions:
  central-asia: {en: Central Asia, ru: Центральная Азия, ky: Борбордук Азия}
states:
  - id: aa
    name: {en: Aland, ru: Аланд, ky: Аланд}
    region: central-asia
    status: party
    joined: 2008-12-29
    joined_by: accession
    npm_designated: true
    npm_model: nhri
    source: S | https://s.example/
    reviewed: 2026-11-23
  - id: bb
    name: {en: Bland, ru: Бланд, ky: Бланд}
    region: central-asia
    status: not-party
    source: S | https://s.example/
    reviewed: 2026-11-23
"""


@pytest.fixture
def data(tmp_path):
    """A copy of the bundled data files that a test may break, with the
    small OPCAT file above."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    (target / "opcat.yml").write_text(OPCAT, encoding="utf-8")
    return target


def replace(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}: the test no longer matches the data"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def line_of(path: Path, text: str, start: int = 0) -> int:
    """The 1-based number of the first line at or after ``start`` containing ``text``."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i in range(start, len(lines)) if text in lines[i]) + 1


def only_error(errors, field, entry=None):
    assert errors, "expected a validation error"
    matching = [e for e in errors if e.field == field and (entry is None or e.entry == entry)]
    assert matching, f"no error for {field} [{entry}] in: {[str(e) for e in errors]}"
    return matching[0]


def validate(data_dir):
    return sitedata.validate_all(data_dir, LANGS)


def test_bundled_data_is_valid():
    assert [str(e) for e in validate(DATA)] == []
    loaded = sitedata.load_all(DATA, LANGS)
    assert len(loaded.regions) == 9
    assert loaded.hotline.header.phone == "114"
    every_phone = [ch.value for c in loaded.contacts.contacts for ch in c.channels if ch.type == "phone"]
    assert "+996 554 999 222" not in every_phone


# ---------------------------------------------------------------- contacts.yml


def test_missing_source_names_file_line_entry_and_field(data):
    path = data / "contacts.yml"
    start = line_of(path, "- id: legal-aid-service")
    replace(
        path,
        '        source: "Justice for All: How UNDP is Helping Make Justice Accessible in Kyrgyzstan | https://www.undp.org/node/526846"\n',
        "",
    )
    error = only_error(validate(data), "source", "legal-aid-service, channel 1")
    assert error.path == path
    assert error.line == line_of(path, "- type: phone", start)  # the channel's first line
    assert str(error).startswith(f"{path}:{error.line}: [legal-aid-service, channel 1] source: missing")


@pytest.mark.parametrize(
    "old, new, entry, field, words",
    [
        # A phone that is not a number, one YAML reads as a number, the abolished centre's.
        (
            'value: "114"',
            'value: "11a4"',
            "legal-aid-service, channel 1",
            "value",
            "not an international number",
        ),
        ('value: "114"', "value: 114", "legal-aid-service, channel 1", "value", "quotes"),
        ('value: "114"', 'value: "+996 554 999 222"', "legal-aid-service, channel 1", "value", "abolished"),
        (
            "        seen: 2026-11-23\n",
            "        sen: 2026-11-23\n",
            "legal-aid-service, channel 1",
            "sen",
            "unknown key 'sen'; did you mean 'seen'?",
        ),
        (
            "regions: [talas]",
            "regions: [tallas]",
            "house-of-justice-talas-manas",
            "regions",
            "unknown region 'tallas'; use one of: bishkek, osh-city",
        ),
        (
            "kind: prosecutor",
            "kind: procurator",
            "prosecutor-general",
            "kind",
            "'procurator' is not one of the allowed values; use legal-aid-state, ombudsperson",
        ),
        (
            "source_date: 2025-06-01",
            "source_date: June 2025",
            "legal-aid-service, channel 1",
            "source_date",
            "'June 2025' is not a date; write YYYY-MM-DD",
        ),
    ],
)
def test_contact_mistakes_name_line_entry_and_field(data, old, new, entry, field, words):
    path = data / "contacts.yml"
    replace(path, old, new)
    error = only_error(validate(data), field, entry)
    assert words in error.message
    assert error.line == line_of(path, new.strip().splitlines()[0])


def test_duplicated_key_is_an_error_with_its_line(data):
    path = data / "contacts.yml"
    replace(path, "        seen: 2026-11-23\n", "        seen: 2026-11-23\n        seen: 2026-11-24\n")
    error = only_error(validate(data), "yaml")
    assert "'seen' is written twice" in error.message
    assert error.line == line_of(path, "seen: 2026-11-24")


def test_translation_missing_in_one_language(data):
    path = data / "contacts.yml"
    replace(path, "      ky: Кыргыз Республикасынын Башкы прокуратурасы\n", "")
    error = only_error(validate(data), "name.ky", "prosecutor-general")
    assert "ky" in error.message


def test_an_address_needs_a_sourced_address_channel(data):
    path = data / "contacts.yml"
    text = path.read_text(encoding="utf-8")
    start = text.index("- id: house-of-justice-batken")
    channel = text.index("      - type: address", start)
    end = text.index("    note:", channel)
    path.write_text(
        text[:channel] + "      - type: web\n        value: https://batken.example/\n"
        "        purpose: {en: site, ru: сайт, ky: сайт}\n"
        "        source: Batken | https://batken.example/\n        seen: 2026-11-23\n" + text[end:],
        encoding="utf-8",
    )
    error = only_error(validate(data), "address", "house-of-justice-batken")
    assert "source" in error.message


def test_every_region_reaches_help_or_names_the_nearest(data):
    """Without the national services, regions no contact covers are errors
    until `nearest:` names a region that has help."""
    path = data / "contacts.yml"
    regional = """\
nearest: {}
contacts:
  - id: talas-office
    kind: legal-aid-state
    name: {en: Talas office, ru: Офис в Таласе, ky: Таластагы кеңсе}
    regions: [talas]
    channels:
      - type: phone
        value: "+996 342 00 00 00"
        purpose: {en: office, ru: офис, ky: кеңсе}
        source: Example | https://example.org/
        seen: 2026-11-23
"""
    path.write_text(regional, encoding="utf-8")
    (data / "hotline.yml").unlink()
    errors = validate(data)
    assert {e.entry for e in errors if e.field == "nearest"} == {
        "bishkek",
        "osh-city",
        "batken",
        "chui",
        "issyk-kul",
        "jalal-abad",
        "naryn",
        "osh",
    }
    nearest = (
        "{"
        + ", ".join(
            f"{code}: talas"
            for code in ("bishkek", "osh-city", "batken", "chui", "issyk-kul", "jalal-abad", "naryn", "osh")
        )
        + "}"
    )
    path.write_text(regional.replace("nearest: {}", f"nearest: {nearest}"), encoding="utf-8")
    assert validate(data) == []
    path.write_text(regional.replace("nearest: {}", "nearest: {naryn: osh, talas: osh}"), encoding="utf-8")
    errors = validate(data)
    assert "'osh' has no legal-help contact" in only_error(errors, "nearest", "naryn").message
    assert "has a legal-help contact of its own" in only_error(errors, "nearest", "talas").message


def test_duplicate_id(data):
    path = data / "contacts.yml"
    replace(path, "- id: kylym-shamy", "- id: voice-of-freedom")
    error = only_error(validate(data), "id", "voice-of-freedom")
    assert "used twice" in error.message
    assert error.line == line_of(path, "- id: voice-of-freedom", line_of(path, "- id: voice-of-freedom"))


@pytest.mark.parametrize(
    "text, message",
    [
        ("- id: x\n", "must be a mapping with 'contacts:'"),
        ("", "it is empty"),
        ("just text\n", "must be a mapping"),
    ],
)
def test_wrong_top_level_is_a_clear_error(data, text, message):
    (data / "contacts.yml").write_text(text, encoding="utf-8")
    error = only_error(validate(data), "file")
    assert error.path.name == "contacts.yml" and message in error.message


def test_regions_file_must_be_a_list(data):
    (data / "regions.yml").write_text("bishkek: {en: Bishkek}\n", encoding="utf-8")
    error = only_error(validate(data), "file")
    assert "a list of regions" in error.message and "it is a mapping" in error.message


# ---------------------------------------------------------------- hotline.yml


def test_header_number_must_be_a_phone_of_its_contact(data):
    path = data / "hotline.yml"
    replace(path, 'phone: "114"', 'phone: "115"')
    error = only_error(validate(data), "phone", "header")
    assert "'115' is not a phone of 'legal-aid-service'" in error.message and "114" in error.message
    assert error.line == line_of(path, 'phone: "115"')


def test_abolished_centres_number_is_refused_in_the_header(data):
    replace(data / "hotline.yml", 'phone: "114"', 'phone: "+996 554 999 222"')
    error = only_error(validate(data), "phone", "header")
    assert "abolished" in error.message


def test_in_danger_lists_only_emergency_services(data):
    replace(
        data / "hotline.yml",
        'contact: emergency-ambulance-103\n    phone: "103"',
        'contact: alter-ego-rehabilitation\n    phone: "+996 312 91 04 07"',
    )
    error = only_error(validate(data), "contact", "danger 2")
    assert "not an emergency service" in error.message


def test_header_needs_a_label_in_every_language(data):
    replace(data / "hotline.yml", "    ky: Акысыз юридикалык жардам (мамлекеттик)\n", "")
    only_error(validate(data), "label.ky", "header")


# ---------------------------------------------------------------- opcat.yml


def test_party_may_leave_out_how_and_when_it_joined_and_its_npm(data):
    path = data / "opcat.yml"
    for line in (
        "    joined: 2008-12-29\n",
        "    joined_by: accession\n",
        "    npm_designated: true\n",
        "    npm_model: nhri\n",
    ):
        replace(path, line, "")
    assert validate(data) == []
    state = sitedata.load_all(data, LANGS).opcat.states[0]
    assert state.joined is None and state.npm_designated is None and state.npm_model is None


def test_joined_by_succession(data):
    replace(data / "opcat.yml", "joined_by: accession", "joined_by: succession")
    assert validate(data) == []


@pytest.mark.parametrize("bad", ["2026-13-01", "2026-02-30", "23.11.2026", "soon"])
def test_bad_date(data, bad):
    path = data / "opcat.yml"
    replace(path, "joined: 2008-12-29", f"joined: {bad}")
    error = only_error(validate(data), "joined", "aa")
    assert "YYYY-MM-DD" in error.message
    with pytest.raises(ContentError) as exc:
        sitedata.load_all(data, LANGS)
    assert exc.value.field == "joined"


def test_unknown_npm_model(data):
    replace(data / "opcat.yml", "npm_model: nhri", "npm_model: ombudsman-plus")
    error = only_error(validate(data), "npm_model", "aa")
    assert "specialised-body" in error.message


def test_party_fields_only_for_a_party_and_model_only_with_an_npm(data):
    path = data / "opcat.yml"
    replace(path, "    status: not-party\n", "    status: not-party\n    joined: 2020-01-01\n")
    replace(path, "npm_designated: true", "npm_designated: false")
    errors = validate(data)
    assert "only for a State party" in only_error(errors, "joined", "bb").message
    assert "npm_designated: true" in only_error(errors, "npm_model", "aa").message


def test_unknown_opcat_region(data):
    replace(
        data / "opcat.yml",
        "    region: central-asia\n    status: not-party",
        "    region: oceania\n    status: not-party",
    )
    assert "central-asia" in only_error(validate(data), "region", "bb").message


def test_worldwide_total_is_a_sourced_whole_number(data):
    replace(data / "opcat.yml", "  parties: 94\n", "  parties: lots\n")
    assert "whole number" in only_error(validate(data), "parties", "total").message


def test_total_below_the_rows_is_a_warning_naming_both_numbers(data, caplog):
    replace(data / "opcat.yml", "  parties: 94\n", "  parties: 0\n")
    (warning,) = validate(data)
    assert isinstance(warning, sitedata.DataWarning) and warning.severity == "warning"
    assert warning.entry == "total" and warning.field == "parties"
    assert "lists 1 States parties" in warning.message and "says 0" in warning.message
    with caplog.at_level(logging.WARNING):
        loaded = sitedata.load_all(data, LANGS)  # a warning does not stop the build
    assert loaded.opcat is not None
    assert [r.getMessage() for r in caplog.records if "UN total" in r.getMessage()] == [str(warning)]


def test_yaml_syntax_error_gives_the_line(data):
    path = data / "opcat.yml"
    replace(path, "  - id: bb", "  - id: [bb")
    error = only_error(validate(data), "yaml")
    assert error.line is not None and abs(error.line - line_of(path, "- id: [bb")) <= 2


# ---------------------------------------------------------------- context


def test_counts_are_computed_from_rows():
    def state(status, designated=None, model=None):
        return {"status": status, "npm_designated": designated, "npm_model": model}

    rows = [
        state("party", True, "nhri"),
        state("party", True, "nhri"),
        state("party", False),
        state("party"),  # the sources do not say
        state("signatory"),
        state("not-party"),
    ]
    counts = sitedata.opcat_counts(rows)
    assert counts["listed"] == 6 and counts["parties"] == 4
    assert counts["signatories"] == 1 and counts["not_parties"] == 1
    assert counts["npm_designated"] == 2 and counts["npm_not_given"] == 1
    assert counts["by_model"]["nhri"] == 2 and counts["by_model"]["other"] == 0


def test_context_every_region_can_reach_help_with_a_source():
    loaded = sitedata.load_all(DATA, LANGS)
    for lang in LANGS:
        context = sitedata.context_for(loaded, lang)
        sections = context["LEGAL_HELP"]
        assert [s["code"] for s in sections] == [r.code for r in loaded.regions]
        for section in sections:
            contacts = [e["contact"] for e in section["contacts"]] + section["national"]
            links = [ch for c in contacts for ch in c["channels"] if ch["href"]]
            assert links and all(ch["source"].url.startswith("http") for ch in links), section["code"]
        assert context["HOTLINE"]["tel"] == "114" and context["HOTLINE"]["label"]
        assert [d["number"] for d in context["DANGER"]] == ["102", "103", "112"]
        assert context["REHABILITATION"], "the rehabilitation page needs at least one centre"


def test_regional_offices_come_before_national_services_and_each_is_shown_in_full_once():
    context = sitedata.context_for(sitedata.load_all(DATA, LANGS), "en")
    batken = next(s for s in context["LEGAL_HELP"] if s["code"] == "batken")
    assert batken["contacts"][0]["contact"]["id"] == "house-of-justice-batken"
    assert "legal-aid-service" in [c["id"] for c in batken["national"]]
    full = [e["contact"]["id"] for s in context["LEGAL_HELP"] for e in s["contacts"] if e["full"]]
    assert len(full) == len(set(full))


def test_an_address_is_shown_in_the_readers_language():
    context = sitedata.context_for(sitedata.load_all(DATA, LANGS), "ru")
    (centre,) = context["REHABILITATION"]
    (address,) = [ch for ch in centre["channels"] if ch["type"] == "address"]
    assert address["value"] == "г. Бишкек, ул. Киевская, 69, кв. 4" and address["href"] is None


def test_data_is_loaded_once_per_build(monkeypatch):
    """Every language's run gets the data through the build's context."""
    calls = []
    monkeypatch.setattr(glue, "load_all", lambda *args: calls.append(args) or sitedata.load_all(*args))
    settings = {
        "LANGUAGES": [{"code": c, "name": c} for c in LANGS],
        "PATH": str(ROOT / "content"),
        "SITEURL": "",
        "DEFAULT_LANG": "en",
    }
    build_context(settings)
    for lang in LANGS:
        generator = SimpleNamespace(
            settings=dict(settings, DEFAULT_LANG=lang), context={}, env=SimpleNamespace(filters={})
        )
        glue.on_generator_init(generator)
        assert generator.context["HOTLINE"]["label"]
    assert len(calls) == 1 and calls[0][1] == LANGS


# ---------------------------------------------------------------- pages


def page(meta: dict):
    return SimpleNamespace(source_path="x.md", metadata=meta)


def test_prepare_page_parses_sources_reviewed_and_keywords():
    content = page(
        {
            "sources": "A | https://a.example/\nB | https://b.example/x?y=1|2",
            "reviewed": "2026-11-23",
            "keywords": "torture, detention ,",
        }
    )
    sitedata.prepare_page(content)
    assert [s.title for s in content.source_list] == ["A", "B"]
    assert content.source_list[1].url == "https://b.example/x?y=1|2"
    assert content.reviewed_date.isoformat() == "2026-11-23"
    assert content.keyword_list == ["torture", "detention"]


@pytest.mark.parametrize(
    "meta, field",
    [({"sources": "24.kg 24.kg/english"}, "Sources"), ({"reviewed": "2026-02-30"}, "Reviewed")],
)
def test_prepare_page_refuses_a_bad_value(meta, field):
    with pytest.raises(ContentError) as exc:
        sitedata.prepare_page(page(meta))
    assert exc.value.field == field


def test_contact_details_in_page_text_are_flagged(tmp_path):
    path = tmp_path / "p.md"
    path.write_text(
        "Title: T\nSources: S | https://s.example/\n\nSee [the list](https://x.example/123456789).\n"
        "Call +996 312 91 04 07 or write to help@example.org.\n",
        encoding="utf-8",
    )
    errors = contacts_in_text(path)
    assert [(e.field, e.line) for e in errors] == [("text", 5)]
    assert "contacts.yml" in errors[0].message


def test_translation_review_list(tmp_path):
    for lang, flag in (("en", ""), ("ky", "Translation_review: needed\n")):
        folder = tmp_path / lang / "pages"
        folder.mkdir(parents=True)
        (folder / "a.md").write_text(f"Title: A\n{flag}\nText\n", encoding="utf-8")
    assert sitedata.needs_translation_review(tmp_path) == [tmp_path / "ky" / "pages" / "a.md"]
