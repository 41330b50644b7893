"""Example events (Sample: yes, or a schedule row's sample column) are
shown as examples in every language: on their pages, in every listing and
on the home page, in calendars; they get no JSON-LD; ``sample_events`` lists
them for the publish step; the bundled events are all examples with
invented organisers and venues."""

from __future__ import annotations

from conftest import ROOT
from test_events import FIXTURE, PREFIX, events_site, page, parse, read_ics, settings_for, vevents

from sitekit.plugins import events

EXAMPLE = {"en": "Example", "ru": "Пример", "ky": "Мисал"}
__all__ = ["events_site"]  # the fixture, shared with test_events.py


def test_example_events_are_marked_in_every_language(events_site):
    for lang, word in EXAMPLE.items():
        html = page(events_site, lang, "events/example-fair").read_text(encoding="utf-8")
        assert parse(page(events_site, lang, "events/example-fair")).text.count(word) >= 1
        assert f'<strong class="event-badge is-sample">{word}</strong>' not in html  # the page has a note
        assert f'class="event-status is-sample" role="note"><strong>{word}</strong>:' in html, lang
        assert f"<title>{word}:" in html
        assert "application/ld+json" not in html  # search engines get no event data
        # Every listing that shows it marks it, in words.
        for rel in ("events", "events/region/talas", "events/campaign/autumn"):
            listing = page(events_site, lang, rel).read_text(encoding="utf-8")
            for slug in ("example-fair", "examples-fair-2"):
                item = listing.split(f'/events/{slug}/"', 1)[1].split("</li>", 1)[0]
                assert f'<strong class="event-badge is-sample">{word}</strong>' in item, (lang, rel, slug)
            real = listing.split('/events/examples-real-1/"', 1)[1].split("</li>", 1)[0]
            assert "is-sample" not in real
        home = (events_site.output / PREFIX[lang] / "index.html").read_text(encoding="utf-8")
        item = home.split('/events/example-fair/"', 1)[1].split("</li>", 1)[0]
        assert f'<strong class="event-badge is-sample">{word}</strong>' in item
    # A real event on the same pages is not marked.
    assert "is-sample" not in page(events_site, "en", "events/round-table").read_text(encoding="utf-8")


def test_example_events_are_not_real_in_calendars(events_site):
    out = events_site.output
    for lang, word in EXAMPLE.items():
        cal = vevents(read_ics(out / PREFIX[lang] / "calendar" / "all.ics"))
        assert str(cal["event-example-fair@localhost"]["SUMMARY"]).startswith(f"{word}: ")
        assert str(cal["event-examples-fair-2@localhost"]["SUMMARY"]).startswith(f"{word}: ")
        assert not str(cal["event-examples-real-1@localhost"]["SUMMARY"]).startswith(f"{word}")
    one = vevents(read_ics(out / "ru" / "calendar" / "event" / "example-fair.ics"))
    assert str(one["event-example-fair@localhost"]["SUMMARY"]) == "Пример: Пример: ярмарка прав"


def test_sample_events_lists_every_example_file_and_row():
    found = events.sample_events(settings_for(FIXTURE))
    assert sorted(found) == sorted(
        [
            (FIXTURE / "en" / "events" / "example-fair.md", None),
            (FIXTURE / "ru" / "events" / "example-fair.md", None),
            (FIXTURE / "ky" / "events" / "example-fair.md", None),
            (FIXTURE / "schedules" / "examples.csv", 2),
        ]
    )


def test_bundled_events_are_all_marked_examples_with_fictional_organisers():
    content = ROOT / "content"
    found = events.sample_events(settings_for(content))
    files = sorted((content).glob("*/events/*.md"))
    rows = (
        (content / "schedules" / "2027-06-legal-consultations.csv").read_text(encoding="utf-8").splitlines()
    )
    assert {path for path, line in found if line is None} == set(files)
    assert len([line for _, line in found if line is not None]) == len(rows) - 1
    real_names = ("Coalition against Torture", "Kylym", "Human Rights Advocacy", "Public Service Centre")
    for path in [*files, content / "schedules" / "2027-06-legal-consultations.csv"]:
        text = path.read_text(encoding="utf-8")
        for name in (*real_names, "Коалиция против пыток", "Кылым", "Центр обслуживания", "адвокатуры"):
            assert name not in text, (path, name)
    assert "Sample: yes" in (ROOT / "docs" / "organisers.md").read_text(encoding="utf-8")
