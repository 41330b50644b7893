"""The information pages and the data pages, on the real bundled site, and a
build that stops on a broken data file."""

from __future__ import annotations

import html as htmllib
import logging
import re
import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml
from babel.dates import format_date
from conftest import ROOT, build
from helpers import html_files, parse, url_to_file

from sitekit.build import BuildError
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
    assert sitedata.check_page_file(source) == [], [str(e) for e in sitedata.check_page_file(source)]
    path = page_file(site.output, lang, slug)
    assert path.is_file(), path
    html = path.read_text(encoding="utf-8")
    meta, _ = sitedata.read_front_matter(source)
    sources = sitedata.parse_sources(meta["sources"], source)
    if slug != "index":  # the home page template shows no sources block
        assert 'id="sources-heading"' in html
        for item in sources:
            assert f'href="{item.url.replace("&", "&amp;")}"' in html, (path, item.url)
        reviewed = date.fromisoformat(meta["reviewed"])
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


@pytest.mark.parametrize("lang", LANGS)
def test_every_region_is_on_the_legal_help_page(site, lang):
    regions = load("regions.yml")
    orgs = load("organisations.yml")
    html = htmllib.unescape(page_file(site.output, lang, "legal-help").read_text(encoding="utf-8"))
    served = {
        code
        for org in orgs["organisations"]
        for code in org["regions"]
        if set(org["services"]) & set(sitedata.LEGAL_SERVICES)
    }
    for region in regions:
        code, name = region["code"], region["name"][lang]
        match = re.search(rf'<section class="region" id="region-{code}".*?</section>', html, re.S)
        assert match, f"{lang}: region {code} has no section"
        section = match.group(0)
        assert f">{name}</h2>" in section
        if code in served:
            for org in orgs["organisations"]:
                if code in org["regions"] and set(org["services"]) & set(sitedata.LEGAL_SERVICES):
                    assert org["name"][lang] in section, (code, org["id"])
        else:
            nearest = orgs["nearest"][code]
            assert 'class="no-organisation"' in section, code
            assert f'href="#region-{nearest}"' in section
            nearest_name = next(r["name"][lang] for r in regions if r["code"] == nearest)
            assert nearest_name in section


@pytest.mark.parametrize("lang", LANGS)
def test_opcat_counts_on_the_page_equal_the_data(site, lang):
    data = load("opcat.yml")
    states = data["states"]
    parties = [s for s in states if s["status"] == "party"]
    expected = {
        "total-parties": data["total"]["parties"],
        "total-signatories": data["total"]["signatories"],
        "count-listed": len(states),
        "count-parties": len(parties),
        "count-not-parties": sum(s["status"] == "not-party" for s in states),
        "count-npm": sum(bool(s.get("npm_designated")) for s in parties),
    }
    for model in sitedata.NPM_MODELS:
        n = sum(s.get("npm_model") == model for s in parties)
        if n:
            expected[f"count-model-{model}"] = n
    html = page_file(site.output, lang, "opcat-worldwide").read_text(encoding="utf-8")
    shown = ids_and_values(html)
    assert {k: v for k, v in shown.items() if k in expected} == expected
    assert not {k for k in shown if k.startswith("count-model-")} - set(expected)
    # The worldwide total is the sourced field, not a count of the rows.
    assert shown["total-parties"] != len(parties)
    for state in states:
        assert f'id="state-{state["id"]}"' in html
        assert state["name"][lang] in html
    for state in parties:
        joined = date.fromisoformat(str(state["joined"]))
        assert format_date(joined, "long", locale=lang) in html


@pytest.mark.parametrize("lang", LANGS)
def test_rehabilitation_contacts_come_from_data(site, lang):
    orgs = load("organisations.yml")["organisations"]
    html = htmllib.unescape(page_file(site.output, lang, "rehabilitation").read_text(encoding="utf-8"))
    for org in orgs:
        if "rehabilitation" in org["services"]:
            assert org["name"][lang] in html
            if org["phone"]:
                assert f'href="tel:{sitedata.tel_of(org["phone"])}"' in html


def test_hotline_on_every_page_from_data_never_the_abolished_centre(site):
    hotline = load("hotline.yml")
    for path in html_files(site.output):
        html = path.read_text(encoding="utf-8")
        lang = parse(path).lang
        assert f'<a href="tel:{hotline["tel"]}">{hotline["number"]}</a>' in html, path
        assert f"({hotline['label'][lang]})" in html, path
        assert not ABOLISHED_CENTRE_NUMBER.search(html), path


def test_no_contact_details_in_any_page_markdown():
    for path in sorted(CONTENT.glob("*/pages/*.md")):
        errors = [e for e in sitedata.check_page_file(path) if e.field == "text"]
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
            if "menu_order" in sitedata.read_front_matter(p)[0]
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


@pytest.mark.parametrize(
    "name, old, new, entry, field",
    [
        ("opcat.yml", "npm_model: nhri-plus", "npm_model: mixed", "[kz]", "npm_model"),
        ("organisations.yml", "regions: [talas]", "regions: [talas-oblast]", "[union-of-unity]", "regions"),
        (
            "organisations.yml",
            "reviewed: 2026-11-23",
            "reviewed: 2026-11-31",
            "[voice-of-freedom]",
            "reviewed",
        ),
        ("hotline.yml", 'number: "+996 312 91 04 07"', "number: 0312 91 04 07", "[hotline]", "number"),
    ],
)
def test_broken_data_file_fails_the_build_naming_file_entry_and_field(tmp_path, name, old, new, entry, field):
    message = broken_build(tmp_path, name, old, new)
    assert f"data/{name}:" in message
    assert f"{entry} {field}:" in message


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
