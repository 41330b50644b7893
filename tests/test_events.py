"""Events: a real build of tests/fixture_events (single events in Markdown and
a CSV schedule with a BOM, semicolons and a Kyrgyz-only title, and example
events), then the calendars parsed with icalendar, the JSON-LD parsed with
json, and the addresses written compared with the ones declared. Bad input:
tests/test_events_input.py."""

from __future__ import annotations

import json
import re
import shutil
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
from conftest import ROOT, build
from helpers import parse

from sitekit.build import load_settings
from sitekit.plugins import events
from sitekit.plugins.events import catalog, schedules

FIXTURE = ROOT / "tests" / "fixture_events" / "content"
BISHKEK = ZoneInfo("Asia/Bishkek")
NOW = "2027-06-21T12:00:00+06:00"
PREFIX = {"en": "", "ru": "ru/", "ky": "ky/"}
ABS = "http://localhost:8000"
# The fixture's example events (and a real one after them), in July.
EXAMPLES_AND_LATER = ["example-fair", "examples-fair-2", "examples-real-1"]


def settings_for(content: Path, **overrides) -> dict:
    """Fresh settings (and so a fresh build context) for a content folder."""
    return load_settings(ROOT / "pelicanconf.py", {"PATH": str(content), **overrides})


def validate(content: Path) -> list:
    return events.check(settings_for(content))


@pytest.fixture(scope="module")
def events_site(tmp_path_factory):
    return build(tmp_path_factory.mktemp("events"), PATH=str(FIXTURE), EVENTS_NOW=NOW)


def page(site, lang, rel):
    return site.output / PREFIX[lang] / rel / "index.html"


def read_ics(path: Path) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(path.read_bytes())


def vevents(cal):
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def jsonld(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', text, re.S)
    assert len(blocks) == 1, path
    return json.loads(blocks[0])


def listing_slugs(path: Path, kind: str) -> list[str]:
    text = path.read_text(encoding="utf-8")
    section = text.split(f'data-events="{kind}"', 1)[1].split("</section>\n</section>", 1)[0]
    section = re.split(r'data-events="(?:upcoming|past)"', section)[0]
    return re.findall(r'href="[^"]*/events/([a-z0-9-]+)/"', section)


# ---------------------------------------------------------------- the build


def test_builds_without_warnings_and_writes_every_page(events_site):
    assert events_site.warnings == []
    out = events_site.output
    for lang in ("en", "ru", "ky"):
        root = out / PREFIX[lang]
        assert (root / "events" / "index.html").is_file()
        for code in ("bishkek", "osh-city", "batken", "talas"):
            assert (root / "events" / "region" / code / "index.html").is_file()
            assert (root / "calendar" / "region" / f"{code}.ics").is_file()
        for code in ("june-26", "autumn"):
            assert (root / "events" / "campaign" / code / "index.html").is_file()
            assert (root / "calendar" / "campaign" / f"{code}.ics").is_file()
        assert (root / "calendar" / "all.ics").is_file()
        # Schedule rows exist in every language.
        assert page(events_site, lang, "events/consultations-naryn-1").is_file()
    # A Markdown event exists where its file does.
    assert page(events_site, "en", "events/webinar").is_file()
    assert not page(events_site, "ru", "events/webinar").exists()
    assert not (out / "ru" / "calendar" / "event" / "webinar.ics").exists()


def test_listing_upcoming_soonest_first_past_most_recent_first(events_site):
    path = page(events_site, "en", "events")
    # osh-1 runs 10:00-16:00 on the build's "now" day: still upcoming.
    assert listing_slugs(path, "upcoming") == [
        "consultations-osh-1",
        "webinar",
        "consultations-naryn-1",
        "round-table",
        "consultations-batken-1",
        *EXAMPLES_AND_LATER,
    ]
    assert listing_slugs(path, "past") == ["consultations-jalal-1", "past-training", "old-meeting"]
    text = parse(path).text
    assert text.index("June 2027") < text.index("May 2027")
    ru_path = page(events_site, "ru", "events")
    assert "июнь 2027" in parse(ru_path).text
    # Markdown events without a Russian file are not listed in Russian.
    assert listing_slugs(ru_path, "past") == ["consultations-jalal-1"]
    assert "webinar" not in page(events_site, "ru", "events").read_text(encoding="utf-8")


def test_event_page_shows_date_time_and_timezone_in_the_language(events_site):
    expected = {
        "en": [
            "Saturday, June 26, 2027, 10:00 AM–1:00 PM",
            "Bishkek, GMT+06:00",
            "Bishkek city",
            "Coalition",
            "Hall A",
        ],
        "ru": [
            "суббота, 26 июня 2027 г., 10:00–13:00",
            "Бишкек, GMT+06:00",
            "г. Бишкек",
            "Коалиция",
            "Зал А",
            "Запланировано",
        ],
        "ky": ["2027-ж., 26-июнь, ишемби, 10:00–13:00", "Бишкек, GMT+06:00", "Бишкек шаары", "А залы"],
    }
    for lang, parts in expected.items():
        text = parse(page(events_site, lang, "events/round-table")).text
        for part in parts:
            assert part in text, (lang, part)
    webinar = parse(page(events_site, "en", "events/webinar")).text
    assert "Moscow, GMT+03:00" in webinar


def test_status_is_shown(events_site):
    assert "Cancelled" in parse(page(events_site, "en", "events/old-meeting")).text
    ky = parse(page(events_site, "ky", "events/consultations-jalal-1")).text
    assert "Кийинкиге жылдырылды" in ky


def test_schedule_with_bom_semicolons_and_kyrgyz_title(events_site):
    # The BOM did not end up in the first column: ids were read.
    ky = parse(page(events_site, "ky", "events/consultations-naryn-1"))
    assert "Нарында акысыз юридикалык кеңеш" in ky.text
    assert "Some details" not in ky.text and "айрым маалыматтар" not in ky.text
    # DD.MM.YYYY was read as 25 June.
    assert "25-июнь" in ky.text
    # Russian readers get the Kyrgyz title, marked and explained.
    html = page(events_site, "ru", "events/consultations-naryn-1").read_text(encoding="utf-8")
    assert '<h1 lang="ky">Нарында акысыз юридикалык кеңеш</h1>' in html
    assert (
        "Они показаны на языке: киргизский"
        in parse(page(events_site, "ru", "events/consultations-naryn-1")).text
    )
    # The column starting with _ is ignored, never shown.
    assert "internal note" not in page(events_site, "en", "events/consultations-osh-1").read_text(
        encoding="utf-8"
    )


def test_region_and_campaign_pages_list_their_events(events_site):
    naryn = page(events_site, "en", "events/region/naryn").read_text(encoding="utf-8")
    assert "/events/consultations-naryn-1/" in naryn
    assert "/events/round-table/" not in naryn
    assert "webcal://localhost:8000/calendar/region/naryn.ics" in naryn
    campaign = page(events_site, "ru", "events/campaign/june-26").read_text(encoding="utf-8")
    for slug in ("round-table", "consultations-osh-1", "consultations-naryn-1"):
        assert f'href="/ru/events/{slug}/"' in campaign
    assert "consultations-batken-1" not in campaign
    assert "past-training" not in campaign  # no Russian file
    assert 'href="/events/past-training/"' in page(events_site, "en", "events/campaign/june-26").read_text(
        encoding="utf-8"
    )
    assert "Месяц мероприятий." in campaign
    # A campaign without a Kyrgyz name falls back to Russian.
    assert "Осенние тренинги" in parse(page(events_site, "ky", "events/campaign/autumn")).text


def test_every_calendar_parses_with_stable_uids_and_times(events_site):
    out = events_site.output
    files = sorted(out.rglob("*.ics"))
    assert len(files) > 30
    for path in files:
        cal = read_ics(path)
        assert cal.get_missing_tzids() == set(), path
        for event in cal.walk("VEVENT"):
            for prop in ("UID", "DTSTAMP", "DTSTART", "SUMMARY", "URL"):
                assert prop in event, (path, prop)
            assert event["UID"].endswith("@localhost")
    cal = read_ics(out / "calendar" / "all.ics")
    refresh = cal["REFRESH-INTERVAL"]
    assert refresh.params["VALUE"] == "DURATION" and refresh.dt == timedelta(hours=12)
    events = vevents(cal)
    round_table = events["event-round-table@localhost"]
    start = round_table.start
    assert start == datetime(2027, 6, 26, 10, 0, tzinfo=BISHKEK)
    assert start.utcoffset() == timedelta(hours=6)
    assert round_table.end == datetime(2027, 6, 26, 13, 0, tzinfo=BISHKEK)
    assert round_table["DTSTART"].params["TZID"] == "Asia/Bishkek"
    assert str(round_table["URL"]) == f"{ABS}/events/round-table/"
    assert "Asia/Bishkek" in {tz.tz_name for tz in cal.timezones}
    # Moscow time is kept as Moscow time: 15:00 MSK is 18:00 in Bishkek.
    webinar = events["event-webinar@localhost"]
    assert webinar.start.astimezone(BISHKEK).hour == 18
    assert "Europe/Moscow" in {tz.tz_name for tz in cal.timezones}
    # Whole days: DATE values with an exclusive end.
    training = events["event-past-training@localhost"]
    assert training.start == date(2027, 6, 3) and training["DTEND"].dt == date(2027, 6, 5)
    assert str(events["event-consultations-batken-1@localhost"]["STATUS"]) == "CANCELLED"
    assert str(events["event-old-meeting@localhost"]["STATUS"]) == "CANCELLED"
    assert str(events["event-round-table@localhost"]["STATUS"]) == "CONFIRMED"


def test_calendars_are_in_the_language_with_its_urls(events_site):
    out = events_site.output
    ru = vevents(read_ics(out / "ru" / "calendar" / "all.ics"))
    event = ru["event-round-table@localhost"]
    assert str(event["SUMMARY"]) == "Круглый стол о предупреждении"
    assert str(event["URL"]) == f"{ABS}/ru/events/round-table/"
    assert "Зал А" in str(event["LOCATION"])
    assert "event-webinar@localhost" not in ru
    cancelled = ru["event-consultations-batken-1@localhost"]
    assert str(cancelled["SUMMARY"]).startswith("Отменено:")
    one = vevents(read_ics(out / "ky" / "calendar" / "event" / "round-table.ics"))
    assert list(one) == ["event-round-table@localhost"]
    assert str(one["event-round-table@localhost"]["SUMMARY"]) == "Алдын алуу боюнча тегерек стол"
    region = vevents(read_ics(out / "calendar" / "region" / "osh-city.ics"))
    assert list(region) == ["event-consultations-osh-1@localhost"]


def test_uids_do_not_depend_on_row_order(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    before = {e.slug for e in catalog.site_catalog(settings_for(content))[0].events}
    csv_path = content / "schedules" / "consultations.csv"
    lines = csv_path.read_text(encoding="utf-8-sig").splitlines()
    csv_path.write_text("\n".join([lines[0], *lines[1:][::-1]]) + "\n", encoding="utf-8")
    after = {e.slug for e in catalog.site_catalog(settings_for(content))[0].events}
    assert before == after


def test_jsonld_parses_and_carries_offsets(events_site):
    data = jsonld(page(events_site, "en", "events/round-table"))
    assert data["@type"] == "Event"
    assert data["startDate"] == "2027-06-26T10:00+06:00"
    assert data["endDate"] == "2027-06-26T13:00+06:00"
    assert data["location"]["@type"] == "Place"
    assert data["location"]["address"]["streetAddress"] == "1 Example street"
    assert data["organizer"] == {"@type": "Organization", "name": "Coalition"}
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["url"] == f"{ABS}/events/round-table/"
    assert data["description"] == "Lawyers & monitors meet."
    ru = jsonld(page(events_site, "ru", "events/round-table"))
    assert ru["name"] == "Круглый стол о предупреждении" and ru["inLanguage"] == "ru"
    webinar = jsonld(page(events_site, "en", "events/webinar"))
    assert webinar["startDate"] == "2027-06-22T15:00+03:00"
    assert webinar["location"] == {"@type": "VirtualLocation", "url": "https://meet.example.net/webinar"}
    assert webinar["name"] == "Webinar </script><script>alert(1)</script> on monitoring"
    cancelled = jsonld(page(events_site, "en", "events/old-meeting"))
    assert cancelled["eventStatus"] == "https://schema.org/EventCancelled"
    whole_days = jsonld(page(events_site, "en", "events/past-training"))
    assert (whole_days["startDate"], whole_days["endDate"]) == ("2027-06-03", "2027-06-04")


def test_title_cannot_break_out_of_the_page(events_site):
    html = page(events_site, "en", "events/webinar").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in html
    assert html.count("</script>") == html.count("<script")


def test_calendar_links_on_event_pages(events_site):
    html = page(events_site, "ru", "events/consultations-naryn-1").read_text(encoding="utf-8")
    assert 'href="/ru/calendar/event/consultations-naryn-1.ics" download' in html
    assert 'href="webcal://localhost:8000/ru/calendar/region/naryn.ics"' in html
    assert 'href="webcal://localhost:8000/ru/calendar/campaign/june-26.ics"' in html
    assert 'href="webcal://localhost:8000/ru/calendar/all.ics"' in html


def test_home_page_shows_next_three_upcoming(events_site):
    text = (events_site.output / "index.html").read_text(encoding="utf-8")
    block = text.split('data-events="home"', 1)[1].split("</ul>", 1)[0]
    items = re.findall(r'<li data-end="[^"]+"( hidden)?><a href="/events/([a-z0-9-]+)/"', block)
    visible = [slug for hidden, slug in items if not hidden]
    assert visible == ["consultations-osh-1", "webinar", "consultations-naryn-1"]
    assert 'src="/theme/js/events.js" defer' in text
    ru = (events_site.output / "ru" / "index.html").read_text(encoding="utf-8")
    assert "Алдыдагы" not in ru and "Ближайшие мероприятия" in ru
    assert 'href="/ru/events/"' in ru  # the nav link


def test_hreflang_follows_the_files(events_site):
    webinar = parse(page(events_site, "en", "events/webinar"))
    assert set(webinar.alternates) == {"en", "x-default"}
    schedule = parse(page(events_site, "ky", "events/consultations-osh-1"))
    assert schedule.alternates == {
        "en": "/events/consultations-osh-1/",
        "ru": "/ru/events/consultations-osh-1/",
        "ky": "/ky/events/consultations-osh-1/",
        "x-default": "/events/consultations-osh-1/",
    }
    # The Kyrgyz round table exists: the switcher goes to it.
    links = {i["lang"]: i.get("href") for i in parse(page(events_site, "en", "events/round-table")).switcher}
    assert links == {"en": None, "ru": "/ru/events/round-table/", "ky": "/ky/events/round-table/"}


def test_pages_stay_under_the_weight_budget(events_site):
    theme = events_site.output / "theme"
    extras = sum((theme / p).stat().st_size for p in ("css/site.css", "js/events.js"))
    for rel in ("events", "events/round-table", "events/campaign/june-26"):
        for lang in ("en", "ru", "ky"):
            size = page(events_site, lang, rel).stat().st_size + extras
            assert size < 50_000, (lang, rel, size)


def test_script_is_deferred_and_page_complete_without_it(events_site):
    html = page(events_site, "en", "events").read_text(encoding="utf-8")
    scripts = re.findall(r"<script[^>]*>", html)
    assert scripts and all("defer" in s and "src=" in s for s in scripts)
    assert "<style" not in html and " style=" not in html
    js = (events_site.output / "theme" / "js" / "events.js").read_text(encoding="utf-8")
    assert "fetch" not in js and "localStorage" not in js


def test_no_events_folder_still_gives_an_events_page(fixture_site):
    for lang in ("en", "ru", "ky"):
        path = fixture_site.output / PREFIX[lang] / "events" / "index.html"
        assert path.is_file()
        assert parse(path).lang == lang


# ---------------------------------------------------------------- shipped files


def test_bundled_events_and_docs_template_are_valid(tmp_path):
    assert validate(ROOT / "content") == []
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    shutil.copy(ROOT / "docs" / "schedule-template.csv", content / "schedules" / "template.csv")
    assert validate(content) == []
    header = (ROOT / "docs" / "schedule-template.csv").read_text(encoding="utf-8").splitlines()[0]
    expected = set(schedules.SHARED_COLUMNS) | {
        f"{f}_{lang}" for f in schedules.TEXT_COLUMNS for lang in ("en", "ru", "ky")
    }
    assert set(header.split(",")) == expected  # the template shows every column
    assert "+996" not in (ROOT / "docs" / "schedule-template.csv").read_text(encoding="utf-8")


def test_bundled_site_has_events_with_calendars(site):
    cal = read_ics(site.output / "ky" / "calendar" / "all.ics")
    assert len(cal.walk("VEVENT")) >= 10
    assert (site.output / "events" / "campaign" / "june-26-2027" / "index.html").is_file()


# ---------------------------------------------------------------- addresses


def written_addresses(root: Path) -> set[str]:
    """Addresses of the files below events/ and calendar/ of one language."""
    found = set()
    for folder in ("events", "calendar"):
        for path in (root / folder).rglob("*"):
            if path.is_file():
                rel = path.relative_to(root).as_posix()
                found.add(rel[: -len("index.html")] if rel.endswith("/index.html") else rel)
    return found


def test_declared_paths_are_exactly_the_written_files(events_site):
    declared = events.declared_paths(settings_for(FIXTURE, EVENTS_NOW=NOW))
    assert set(declared) == {"en", "ru", "ky"}
    for lang, paths in declared.items():
        assert paths == written_addresses(events_site.output / PREFIX[lang]), lang
    assert {"events/", "calendar/all.ics", "events/webinar/", "calendar/event/webinar.ics"} <= declared["en"]
    assert "events/webinar/" not in declared["ru"]
    assert {"events/region/naryn/", "calendar/campaign/autumn.ics"} <= declared["ky"]
