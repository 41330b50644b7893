"""The information pages and the data pages, on the real bundled site, and a
build that stops on a broken data file."""

from __future__ import annotations

import html as htmllib
import logging
import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from babel.dates import format_date
from conftest import ROOT, build
from helpers import html_files, parse, url_to_file

from sitekit.build import BuildError, load_settings
from sitekit.core import frontmatter, rules, values
from sitekit.core.sources import contacts_in_text
from sitekit.plugins.sitedata import sitedata

LANGS = ["en", "ru", "ky"]
PREFIX = {"en": "", "ru": "ru/", "ky": "ky/"}
CONTENT = ROOT / "content"
DATA = CONTENT / "data"
PAGES = [
    "index",
    "convention",
    "npm",
    "rights",
    "legal-help",
    "complain-un",
    "rehabilitation",
    "opcat-worldwide",
    "about",
    "june-26",
    "complain-kg",
    "medical-evidence",
    "free-legal-aid",
]
ABOLISHED_CENTRE_NUMBER = re.compile(r"554\D?999\D?222")
TRANSLATIONS = ROOT / "theme" / "translations"


def page_file(output: Path, lang: str, slug: str) -> Path:
    rel = "index.html" if slug == "index" else f"{slug}/index.html"
    return output / PREFIX[lang] / rel


def load(name):
    return yaml.safe_load((DATA / name).read_text(encoding="utf-8"))


def ids_and_values(html: str) -> dict[str, int]:
    return {m.group(1): int(m.group(2)) for m in re.finditer(r'<data id="([^"]+)" value="(\d+)"', html)}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("slug", PAGES)
def test_every_page_exists_in_every_language_with_sources_and_review_date(site, lang, slug):
    source = CONTENT / lang / "pages" / f"{slug}.md"
    assert source.is_file(), f"{source} missing"
    fm = frontmatter.read(source)
    errors = rules.check_front_matter(source, "pages", fm) + contacts_in_text(source)
    assert errors == [], [str(e) for e in errors]
    path = page_file(site.output, lang, slug)
    assert path.is_file(), path
    html = path.read_text(encoding="utf-8")
    sources = rules.parsed("pages", fm, "sources")
    reviewed = rules.parsed("pages", fm, "reviewed")
    assert sources and reviewed, f"{source}: Sources and Reviewed are required on information pages"
    if slug != "index":  # the home page template shows no sources block
        assert 'id="sources-heading"' in html
        for item in sources:
            assert f'href="{item.url.replace("&", "&amp;")}"' in html, (path, item.url)
        assert (
            f'<time datetime="{reviewed.isoformat()}">{format_date(reviewed, "long", locale=lang)}</time>'
            in html
        )


@pytest.mark.parametrize("lang", ["ru", "ky"])
def test_russian_and_kyrgyz_page_text_has_no_english_left(site, lang):
    for slug in PAGES:
        html = page_file(site.output, lang, slug).read_text(encoding="utf-8")
        # The page's own text: from its title to the first generated block.
        body = html.split("<h1>", 1)[1]
        body = re.split(r'<section|<nav class="region-index"', body)[0]
        body = re.sub(r"<[^>]+>", " ", body)
        words = re.findall(r"[A-Za-z]{3,}", body)
        allowed = {"APT", "NPM", "OPCAT", "Mirage", "News", "cookie", "notorture", "Alter", "Ego"}
        assert not [w for w in words if w not in allowed], (slug, words[:10])


def gettext(lang: str, message: str) -> str:
    """A theme string in a language, from its catalog."""
    if lang == "en":
        return message
    from babel.messages.pofile import read_po

    with open(TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po", "rb") as fh:
        return read_po(fh, locale=lang)[message].string


def linked_items_with_source(section: str) -> list[str]:
    """The list items and paragraphs of a block that have a tel:, mailto: or
    web link and show the source next to it."""
    items = re.findall(r"<(?:li|p)\b[^>]*>.*?</(?:li|p)>", section, re.S)
    return [
        item
        for item in items
        if re.search(r'<a href="(?:tel:|mailto:|https?://)', item) and 'class="data-source"' in item
    ]


@pytest.mark.parametrize("lang", LANGS)
def test_every_region_has_a_sourced_way_to_reach_help_on_the_legal_help_page(site, lang):
    regions = load("regions.yml")
    contacts = load("contacts.yml")["contacts"]
    html = htmllib.unescape(page_file(site.output, lang, "legal-help").read_text(encoding="utf-8"))
    source_label = gettext(lang, "Source")
    for region in regions:
        code, name = region["code"], region["name"][lang]
        match = re.search(rf'<section class="region" id="region-{code}".*?</section>', html, re.S)
        assert match, f"{lang}: region {code} has no section"
        section = match.group(0)
        assert f">{name}</h2>" in section
        linked = linked_items_with_source(section)
        assert linked, f"{lang}: {code} shows no phone, e-mail or web address with its source"
        assert all(f"{source_label}:" in item for item in linked)
        # Offices in the region itself come first, before the national services.
        own = [c for c in contacts if code in c["regions"] and len(c["regions"]) < len(regions)]
        for contact in own:
            if contact["kind"] in sitedata.LEGAL_HELP_KINDS:
                assert contact["name"][lang] in section, (lang, code, contact["id"])
    # Every contact on the page is there in full once, with all its channels.
    for contact in contacts:
        if contact["kind"] in sitedata.LEGAL_HELP_KINDS:
            assert html.count(f'id="contact-{contact["id"]}"') == 1, contact["id"]


@pytest.mark.parametrize("lang", LANGS)
def test_unconfirmed_contacts_say_so_in_the_readers_language(site, lang):
    html = htmllib.unescape(page_file(site.output, lang, "legal-help").read_text(encoding="utf-8"))
    entry = re.search(r'<div class="org" id="contact-legal-aid-service">.*?</div>', html, re.S).group(0)
    line = next(item for item in linked_items_with_source(entry) if 'href="tel:114"' in item)
    assert gettext(lang, "not yet confirmed by phone") in line
    assert "undp.org" in line  # where it was found


def expected_opcat_counts(data: dict) -> dict:
    states = data["states"]
    parties = [s for s in states if s["status"] == "party"]
    expected = {
        "total-parties": data["total"]["parties"],
        "total-signatories": data["total"]["signatories"],
        "count-listed": len(states),
        "count-parties": len(parties),
        "count-not-parties": sum(s["status"] == "not-party" for s in states),
        "count-npm": sum(s.get("npm_designated") is True for s in parties),
    }
    not_given = sum(s.get("npm_designated") is None for s in parties)
    if not_given:
        expected["count-npm-not-given"] = not_given
    for model in sitedata.NPM_MODELS:
        n = sum(s.get("npm_model") == model for s in parties)
        if n:
            expected[f"count-model-{model}"] = n
    return expected


@pytest.mark.parametrize("lang", LANGS)
def test_opcat_counts_on_the_page_equal_the_data(site, lang):
    data = load("opcat.yml")
    expected = expected_opcat_counts(data)
    html = page_file(site.output, lang, "opcat-worldwide").read_text(encoding="utf-8")
    shown = ids_and_values(html)
    assert {k: v for k, v in shown.items() if k in expected} == expected
    assert not {k for k in shown if k.startswith("count-model-")} - set(expected)
    for state in data["states"]:
        row = re.search(rf'<tr id="state-{state["id"]}">(.*?)</tr>', html, re.S).group(1)
        assert state["name"][lang] in htmllib.unescape(row)
        if state["status"] == "party" and state.get("joined"):
            # Dates as YYYY-MM-DD: about a hundred rows must stay light.
            assert date.fromisoformat(str(state["joined"])).isoformat() in row
    if any(s["status"] == "party" and not s.get("joined") for s in data["states"]):
        assert gettext(lang, "not given by the sources") in htmllib.unescape(html)


@pytest.mark.parametrize("lang", LANGS)
def test_rehabilitation_contacts_come_from_data(site, lang):
    contacts = load("contacts.yml")["contacts"]
    html = htmllib.unescape(page_file(site.output, lang, "rehabilitation").read_text(encoding="utf-8"))
    centres = [c for c in contacts if c["kind"] == "rehabilitation"]
    assert centres
    for centre in centres:
        assert centre["name"][lang] in html
        for channel in centre["channels"]:
            if channel["type"] == "phone":
                assert f'href="tel:{values.tel_of(channel["value"])}"' in html


def test_header_says_what_its_number_is_for_on_every_page_never_the_abolished_centre(site):
    header = load("hotline.yml")["header"]
    tel = values.tel_of(header["phone"])
    for path in html_files(site.output):
        html = htmllib.unescape(path.read_text(encoding="utf-8"))
        lang = parse(path).lang
        hotline = re.search(r'<p class="hotline">.*?</p>', html, re.S)
        assert hotline, path
        assert hotline.group(0).startswith(
            f'<p class="hotline">{header["label"][lang]}: <a href="tel:{tel}">'
        ), path
        assert not ABOLISHED_CENTRE_NUMBER.search(html), path


@pytest.mark.parametrize("lang", LANGS)
def test_home_page_sends_people_in_danger_only_to_sourced_emergency_numbers(site, lang):
    hotline = load("hotline.yml")
    contacts = {c["id"]: c for c in load("contacts.yml")["contacts"]}
    html = htmllib.unescape(page_file(site.output, lang, "index").read_text(encoding="utf-8"))
    box = re.search(r'<section class="home-hotline".*?</section>', html, re.S).group(0)
    assert gettext(lang, "If you are in danger now") in box
    danger = re.search(r"<ul.*?</ul>", box, re.S).group(0)
    items = linked_items_with_source(danger)
    assert len(items) == len(hotline["danger"])
    for pick, item in zip(hotline["danger"], items, strict=True):
        assert contacts[pick["contact"]]["kind"] == "emergency"
        assert f'href="tel:{values.tel_of(pick["phone"])}"' in item
        assert gettext(lang, "not yet confirmed by phone") in item
    # The legal aid line is there too, said not to be an emergency line.
    assert gettext(lang, "For legal advice (not an emergency line):") in box


def test_no_contact_details_in_any_page_markdown():
    for path in sorted(CONTENT.glob("*/pages/*.md")):
        errors = contacts_in_text(path)
        assert errors == [], [str(e) for e in errors]


def test_internal_links_of_the_pages_resolve(site):
    for lang in LANGS:
        for slug in PAGES:
            page = parse(page_file(site.output, lang, slug))
            for url in page.urls:
                if url.startswith("/") and not url.startswith("//"):
                    assert url_to_file(site.output, url).is_file(), (lang, slug, url)


def test_main_navigation_stays_short(site):
    """Only a few information pages are in the main menu (other parts of the
    site add their own items), and they are the same in every language."""
    for lang in LANGS:
        in_menu = sorted(
            p.stem
            for p in (CONTENT / lang / "pages").glob("*.md")
            if "menu_order" in frontmatter.read(p).values
        )
        assert in_menu == ["complain-kg", "legal-help", "rights"], (lang, in_menu)
        nav = page_file(site.output, lang, "index").read_text(encoding="utf-8")
        nav = nav.split('class="wrap main-nav"', 1)[1].split("</nav>", 1)[0]
        for slug in in_menu:
            assert f'href="/{PREFIX[lang]}{slug}/"' in nav, (lang, slug)


def test_kyrgyz_pages_are_marked_for_review():
    flagged = sitedata.needs_translation_review(CONTENT)
    # Every Kyrgyz information page written here awaits a native speaker.
    assert {p.name for p in flagged if p.parts[-3:-1] == ("ky", "pages")} >= {f"{s}.md" for s in PAGES}


def test_the_build_lists_pages_that_need_review(tmp_path, caplog):
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    with caplog.at_level(logging.INFO, logger="sitekit.plugins.sitedata.glue"):
        build(tmp_path, PATH=str(content))
    listed = " ".join(r.getMessage() for r in caplog.records if "Translation review" in r.message)
    assert "ky/pages/rights.md" in listed


def broken_build(tmp_path, name, old, new):
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    path = content / "data" / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(BuildError) as exc:
        build(tmp_path, PATH=str(content))
    assert not (tmp_path / "output").exists(), "a failed build must not write output"
    return str(exc.value)


def first_row_with(data: dict, field: str) -> str:
    return next(s["id"] for s in data["states"] if s.get(field))


def in_row(text: str, row_id: str, field: str, value: str) -> tuple[str, str]:
    """(old, new): the line ``field: ...`` of the row ``- id: row_id``."""
    start = text.index(f"- id: {row_id}\n")
    line = re.compile(rf"^\s+{field}: .*$", re.M).search(text, start).group(0)
    return line, re.sub(rf"{field}: .*$", f"{field}: {value}", line)


CONTACTS = "contacts.yml"


def broken_data_cases():
    opcat = (DATA / "opcat.yml").read_text(encoding="utf-8")
    row = first_row_with(load("opcat.yml"), "npm_model")
    return [
        ("opcat.yml", *in_row(opcat, row, "npm_model", "mixed"), f"[{row}]", "npm_model"),
        (CONTACTS, "[talas]", "[talas-oblast]", "[house-of-justice-talas-manas]", "regions"),
        (
            CONTACTS,
            "https://www.prokuror.kg\n",
            "www.prokuror.kg\n",
            "[prosecutor-general, channel 1]",
            "value",
        ),
        (CONTACTS, "seen: 2026-11-23", "seen: 2026-11-31", "[legal-aid-service, channel 1]", "seen"),
        ("hotline.yml", 'phone: "114"', "phone: 114", "[header]", "phone"),
    ]


@pytest.mark.parametrize("name, old, new, entry, field", broken_data_cases())
def test_broken_data_file_fails_the_build_naming_file_entry_and_field(tmp_path, name, old, new, entry, field):
    message = broken_build(tmp_path, name, old, new)
    assert f"data/{name}:" in message
    assert f"{entry} {field}:" in message


@pytest.fixture(scope="module")
def changed_site(tmp_path_factory):
    """The bundled site with its data changed: one OPCAT state fewer, the UN
    total below the rows, and the legal aid line confirmed by a call."""
    tmp = tmp_path_factory.mktemp("changed")
    content = tmp / "content"
    shutil.copytree(CONTENT, content)
    opcat_path = content / "data" / "opcat.yml"
    opcat = yaml.safe_load(opcat_path.read_text(encoding="utf-8"))
    removed = opcat["states"][-1]["id"]
    text = opcat_path.read_text(encoding="utf-8")
    start = text.index(f"  - id: {removed}\n")
    end = text.find("\n  - id: ", start + 1)
    text = text[:start] + (text[end + 1 :] if end != -1 else "")
    parties = sum(s["status"] == "party" for s in opcat["states"] if s["id"] != removed)
    # A State party whose row gives neither how and when it joined nor its NPM.
    bare = next(s["id"] for s in opcat["states"] if s["status"] == "party" and s["id"] != removed)
    start = text.index(f"  - id: {bare}\n")
    end = text.find("\n  - id: ", start + 1)
    row = re.sub(r"^    (joined|joined_by|npm_designated|npm_model): .*\n", "", text[start:end], flags=re.M)
    text = text[:start] + row + text[end:]
    text = re.sub(r"^  parties: \d+$", "  parties: 1", text, count=1, flags=re.M)
    opcat_path.write_text(text, encoding="utf-8")
    contacts = content / "data" / "contacts.yml"
    contacts.write_text(
        contacts.read_text(encoding="utf-8").replace(
            "        source_date: 2025-06-01\n",
            "        source_date: 2025-06-01\n        confirmed: 2026-11-24\n",
            1,
        ),
        encoding="utf-8",
    )
    built = build(tmp, PATH=str(content))
    return SimpleNamespace(built=built, removed=removed, bare=bare, parties=parties, opcat=opcat)


@pytest.mark.parametrize("lang", LANGS)
def test_removing_a_state_changes_the_counts_shown(site, changed_site, lang):
    before = ids_and_values(page_file(site.output, lang, "opcat-worldwide").read_text(encoding="utf-8"))
    html = page_file(changed_site.built.output, lang, "opcat-worldwide").read_text(encoding="utf-8")
    after = ids_and_values(html)
    assert after["count-listed"] == before["count-listed"] - 1
    assert f'id="state-{changed_site.removed}"' not in html
    assert after["count-parties"] == changed_site.parties


@pytest.mark.parametrize("lang", LANGS)
def test_a_party_without_dates_or_npm_says_the_sources_do_not_give_them(changed_site, lang):
    html = page_file(changed_site.built.output, lang, "opcat-worldwide").read_text(encoding="utf-8")
    row = re.search(rf'<tr id="state-{changed_site.bare}">.*?</tr>', html, re.S).group(0)
    assert (
        htmllib.unescape(row).count(gettext(lang, "not given by the sources")) == 2
    )  # joined, NPM designated
    assert "<time" not in row.split("</td>", 2)[1]
    unknown = {
        s["id"]
        for s in changed_site.opcat["states"]
        if s["status"] == "party" and s["id"] != changed_site.removed and "npm_designated" not in s
    } | {changed_site.bare}
    assert ids_and_values(html)["count-npm-not-given"] == len(unknown)


def test_a_total_below_the_rows_is_one_build_warning_naming_both_numbers(changed_site):
    warnings = [w for w in changed_site.built.warnings if "UN total" in w]
    assert len(warnings) == 1, changed_site.built.warnings
    assert f"lists {changed_site.parties} States parties" in warnings[0] and "says 1" in warnings[0]
    assert "opcat.yml" in warnings[0]


@pytest.mark.parametrize("lang", LANGS)
def test_a_confirmed_channel_says_when(changed_site, lang):
    path = page_file(changed_site.built.output, lang, "legal-help")
    html = htmllib.unescape(path.read_text(encoding="utf-8"))
    entry = re.search(r'<div class="org" id="contact-legal-aid-service">.*?</div>', html, re.S).group(0)
    line = next(item for item in linked_items_with_source(entry) if 'href="tel:114"' in item)
    assert gettext(lang, "not yet confirmed by phone") not in line
    expected = gettext(lang, "confirmed by phone on %(date)s") % {
        "date": format_date(date(2026, 11, 24), "long", locale=lang)
    }
    assert expected in line, line


def test_broken_page_sources_fail_the_build(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    page = content / "ru" / "pages" / "npm.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(
        text.replace("https://24.kg/english/345323/", "24.kg/english/345323/", 1), encoding="utf-8"
    )
    with pytest.raises(BuildError) as exc:
        build(tmp_path, PATH=str(content))
    assert "ru/pages/npm.md:" in str(exc.value) and ": sources:" in str(exc.value)


def test_bundled_site_builds_without_warnings(site):
    assert site.warnings == []


def run_check(content: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "invoke", "check", "--content", str(content)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_invoke_check_names_bad_contact_data_by_file_line_entry_and_field(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    path = content / "data" / "contacts.yml"
    text = path.read_text(encoding="utf-8")
    for old, new in (
        ('value: "+996 312 65-10-10"', 'value: "65-10-10"'),  # a phone without its country code
        ("    regions: [jalal-abad]\n", "    regions: [jalal-abad]\n    phone: null\n"),  # an unknown key
        ("        source: Story about us | http://birduino.kg/en/about/\n", ""),  # a missing source
    ):
        assert old in text
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    result = run_check(content)
    assert result.returncode == 1, result.stdout
    lines = [line for line in result.stdout.splitlines() if "contacts.yml:" in line]
    expected = (
        ("[ministry-of-justice, channel 3] value:", "not an international number"),
        ("[spravedlivost-jalal-abad] phone:", "unknown key 'phone'"),
        ("[bir-duino-kyrgyzstan, channel 1] source:", "missing"),
    )
    for where, what in expected:
        assert any(where in line and what in line for line in lines), (where, lines)
    assert all(re.match(r".*data/contacts\.yml:\d+: \[", line) for line in lines), lines


def test_invoke_check_names_a_duplicated_key(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    path = content / "data" / "contacts.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("    kind: prosecutor\n", "    kind: prosecutor\n    kind: ngo\n", 1), encoding="utf-8"
    )
    result = run_check(content)
    assert result.returncode == 1
    (line,) = [line for line in result.stdout.splitlines() if "contacts.yml:" in line]
    assert "yaml: the key 'kind' is written twice" in line


def lower_the_un_total(content: Path) -> None:
    path = content / "data" / "opcat.yml"
    text = re.sub(r"^  parties: \d+$", "  parties: 1", path.read_text(encoding="utf-8"), count=1, flags=re.M)
    path.write_text(text, encoding="utf-8")


def test_the_data_check_gives_a_total_below_the_rows_as_a_warning(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    lower_the_un_total(content)
    (problem,) = sitedata.check(load_settings(overrides={"PATH": str(content)}))
    assert isinstance(problem, sitedata.DataWarning) and problem.severity == "warning"
    assert "UN total says 1" in problem.message


def test_invoke_check_shows_a_total_below_the_rows_as_a_warning(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    lower_the_un_total(content)
    result = run_check(content)
    line = next(line for line in result.stdout.splitlines() if "UN total" in line)
    assert line.endswith("(warning)") and "says 1" in line
    assert result.returncode == 0, result.stdout
