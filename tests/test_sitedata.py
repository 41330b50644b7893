"""Unit tests of the sitedata plugin: loading and validating content/data/*.yml
and pages' front matter, without building the site."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from sitekit.core.errors import ContentError
from sitekit.plugins.sitedata import sitedata

ROOT = Path(__file__).resolve().parent.parent

DATA = ROOT / "content" / "data"


@pytest.fixture
def data(tmp_path):
    """A copy of the bundled data files that a test may break."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


def replace(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}: the test no longer matches the data"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def only_error(errors, field, entry=None):
    assert errors, "expected a validation error"
    matching = [e for e in errors if e.field == field and (entry is None or e.entry == entry)]
    assert matching, f"no error for {field} [{entry}] in: {[str(e) for e in errors]}"
    return matching[0]


def test_bundled_data_is_valid():
    assert sitedata.validate_all(DATA) == []
    loaded = sitedata.load_all(DATA)
    assert len(loaded.regions) == 9
    assert loaded.hotline["tel"] == sitedata.tel_of(loaded.hotline["number"])


def test_missing_field_names_file_entry_field_and_line(data):
    path = data / "organisations.yml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if line.strip().startswith("- id: kylym-shamy"))
    reviewed = next(i for i in range(index, len(lines)) if lines[i].strip().startswith("reviewed:"))
    del lines[reviewed]
    path.write_text("".join(lines), encoding="utf-8")
    regions = sitedata.load_regions(data / "regions.yml")
    error = only_error(sitedata.validate_organisations(path, regions), "reviewed", "kylym-shamy")
    assert error.path == path
    assert error.line == index + 1  # the entry's first line, where the field is missing
    assert "organisations.yml" in str(error) and "[kylym-shamy] reviewed: missing" in str(error)


@pytest.mark.parametrize("bad", ["2026-13-01", "2026-02-30", "23.11.2026", "soon"])
def test_bad_date(data, bad):
    path = data / "opcat.yml"
    replace(path, "joined: 2008-12-29", f"joined: {bad}")
    error = only_error(sitedata.validate_opcat(path), "joined", "kg")
    assert "YYYY-MM-DD" in error.message
    with pytest.raises(ContentError) as exc:
        sitedata.load_opcat(path)
    assert exc.value.field == "joined"


def test_unknown_region_lists_the_known_ones(data):
    path = data / "organisations.yml"
    replace(path, "regions: [talas]", "regions: [tallas]")
    regions = sitedata.load_regions(data / "regions.yml")
    error = only_error(sitedata.validate_organisations(path, regions), "regions", "union-of-unity")
    assert "'tallas'" in error.message and "talas" in error.message
    assert error.line == path.read_text().splitlines().index("    regions: [tallas]") + 1


def test_unknown_npm_model(data):
    path = data / "opcat.yml"
    replace(path, "npm_model: nhri-plus", "npm_model: ombudsman-plus")
    error = only_error(sitedata.validate_opcat(path), "npm_model", "kz")
    assert "specialised-body" in error.message


def test_unknown_service_and_language(data):
    path = data / "organisations.yml"
    replace(path, "services: [legal-aid, un-complaints]", "services: [lawyers]")
    replace(path, "languages: []", "languages: [uz]")
    regions = sitedata.load_regions(data / "regions.yml")
    errors = sitedata.validate_organisations(path, regions)
    only_error(errors, "services", "voice-of-freedom")
    only_error(errors, "languages", "voice-of-freedom")


def test_translation_missing_in_one_language(data):
    path = data / "opcat.yml"
    replace(
        path,
        "name: {en: Uzbekistan, ru: Узбекистан, ky: Өзбекстан}",
        "name: {en: Uzbekistan, ru: Узбекистан}",
    )
    only_error(sitedata.validate_opcat(path), "name.ky", "uz")


def test_unquoted_phone_is_read_as_a_number_and_refused(data):
    path = data / "organisations.yml"
    replace(path, 'phone: "+996 312 91 04 07"', "phone: +996312910407")
    regions = sitedata.load_regions(data / "regions.yml")
    error = only_error(sitedata.validate_organisations(path, regions), "phone", "alter-ego")
    assert "quotes" in error.message


def test_hotline_tel_must_match_number(data):
    path = data / "hotline.yml"
    replace(path, 'tel: "+996312910407"', 'tel: "+996312910400"')
    error = only_error(sitedata.validate_hotline(path), "tel")
    assert "+996312910407" in error.message


def test_abolished_centres_number_is_refused_as_hotline(data):
    path = data / "hotline.yml"
    replace(path, 'number: "+996 312 91 04 07"', 'number: "+996 554 999 222"')
    replace(path, 'tel: "+996312910407"', 'tel: "+996554999222"')
    error = only_error(sitedata.validate_hotline(path), "tel")
    assert "abolished" in error.message


def test_region_without_help_needs_a_nearest(data):
    path = data / "organisations.yml"
    replace(path, "  batken: osh\n", "")
    regions = sitedata.load_regions(data / "regions.yml")
    error = only_error(sitedata.validate_organisations(path, regions), "nearest", "batken")
    assert "batken" in error.message


def test_nearest_must_have_help(data):
    path = data / "organisations.yml"
    replace(path, "  batken: osh\n", "  batken: osh-city\n")
    regions = sitedata.load_regions(data / "regions.yml")
    only_error(sitedata.validate_organisations(path, regions), "nearest", "batken")


def test_party_needs_joined_date_and_non_party_must_not_have_one(data):
    path = data / "opcat.yml"
    replace(path, "    joined: 2009-01-28\n", "")
    replace(
        path,
        "    status: not-party\n    source: UN Treaty Collection",
        "    status: not-party\n    joined: 2020-01-01\n    source: UN Treaty Collection",
    )
    errors = sitedata.validate_opcat(path)
    only_error(errors, "joined", "az")
    only_error(errors, "joined", "tj")


def test_worldwide_total_is_a_sourced_field(data):
    path = data / "opcat.yml"
    replace(path, "  parties: 94\n", "  parties: lots\n")
    only_error(sitedata.validate_opcat(path), "parties", "total")
    assert sitedata.load_opcat(DATA / "opcat.yml")["total"]["source"].url.startswith(
        "https://treaties.un.org/"
    )


def test_yaml_syntax_error_gives_the_line(data):
    path = data / "opcat.yml"
    text = path.read_text(encoding="utf-8").splitlines()
    line = text.index("  - id: uz") + 1
    text[line - 1] = "  - id: [uz"
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    errors = sitedata.validate_opcat(path)
    assert errors and errors[0].field == "yaml" and errors[0].line is not None
    assert abs(errors[0].line - line) <= 2


def test_counts_are_computed_from_rows():
    def state(status, designated=None, model=None):
        return {"status": status, "npm_designated": designated, "npm_model": model}

    rows = [
        state("party", True, "nhri"),
        state("party", True, "nhri"),
        state("party", False),
        state("signatory"),
        state("not-party"),
    ]
    counts = sitedata.opcat_counts(rows)
    assert counts["listed"] == 5 and counts["parties"] == 3
    assert counts["signatories"] == 1 and counts["not_parties"] == 1
    assert counts["npm_designated"] == 2
    assert counts["by_model"]["nhri"] == 2 and counts["by_model"]["other"] == 0


def test_context_every_region_has_help_or_a_nearest():
    context = sitedata.context_for(sitedata.load_all(DATA), "ky")
    sections = context["LEGAL_HELP"]
    assert [s["code"] for s in sections] == [r["code"] for r in sitedata.load_all(DATA).regions]
    for section in sections:
        assert section["organisations"] or section["nearest"]["organisations"], section["code"]
    assert context["HOTLINE"]["label"].startswith("«Альтер-Эго»")
    assert context["REHABILITATION"], "the rehabilitation page needs at least one centre"


def test_load_all_reads_once_until_a_file_changes(data):
    first = sitedata.load_all(data)
    assert sitedata.load_all(data) is first
    path = data / "hotline.yml"
    replace(path, "reviewed: 2026-11-23", "reviewed: 2026-11-24")
    import os

    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10_000_000))
    second = sitedata.load_all(data)
    assert second is not first and second.hotline["reviewed"] == date(2026, 11, 24)


def test_month_precision_for_as_of():
    assert sitedata.parse_date("2026-11", month_ok=True).isoformat() == "2026-11"
    with pytest.raises(ValueError):
        sitedata.parse_date("2026-11")


@pytest.mark.parametrize(
    "value, problem",
    [
        ("24.kg https://24.kg/english/345323/", "Title | https://address"),
        (" | https://24.kg/", "title"),
        ("24.kg | 24.kg/english", "web address"),
    ],
)
def test_sources_format(value, problem):
    with pytest.raises(ContentError) as exc:
        sitedata.parse_sources(value, "x.md")
    assert exc.value.field == "Sources" and problem in exc.value.message


def test_sources_one_per_line():
    sources = sitedata.parse_sources(["A | https://a.example/", "B | https://b.example/x?y=1|2"], "x.md")
    assert [s.title for s in sources] == ["A", "B"]
    assert sources[1].url == "https://b.example/x?y=1|2"


def test_page_check_finds_missing_fields_and_contacts(tmp_path):
    page = tmp_path / "p.md"
    page.write_text(
        "Title: T\nReviewed: 2026-02-30\nSources: S | https://s.example/\n\n"
        "Call +996 312 91 04 07 or write to help@example.org.\n",
        encoding="utf-8",
    )
    errors = sitedata.check_page_file(page)
    fields = {e.field for e in errors}
    assert {"Summary", "Keywords", "Reviewed", "text"} <= fields
    text_errors = [e for e in errors if e.field == "text"]
    assert text_errors[0].line == 5


def test_translation_review_list(tmp_path):
    for lang, flag in (("en", ""), ("ky", "Translation_review: needed\n")):
        folder = tmp_path / lang / "pages"
        folder.mkdir(parents=True)
        (folder / "a.md").write_text(f"Title: A\n{flag}\nText\n", encoding="utf-8")
    assert sitedata.needs_translation_review(tmp_path) == [tmp_path / "ky" / "pages" / "a.md"]
