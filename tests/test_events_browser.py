"""events.js in Chromium: a site built on 1 June, read on 21 June, moves the
events that have ended since into "Past events" and shows the next three on
the home page. The build-time split is what a reader without JavaScript gets
(tests/test_events.py)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from browser import chromium, serve
from conftest import build
from test_events import EXAMPLES_AND_LATER, FIXTURE

READ_AT = datetime(2027, 6, 21, 12, 0, tzinfo=ZoneInfo("Asia/Bishkek"))


@pytest.fixture(scope="module")
def early_site(tmp_path_factory):
    return build(
        tmp_path_factory.mktemp("events-early"), PATH=str(FIXTURE), EVENTS_NOW="2027-06-01T00:00:00+06:00"
    )


def slugs(page, kind):
    return page.eval_on_selector_all(
        f'[data-events="{kind}"] li a',
        "links => links.map(a => a.getAttribute('href').split('/').filter(Boolean).pop())",
    )


def test_script_resorts_by_the_readers_clock(early_site):
    listing = (early_site.output / "events" / "index.html").read_text(encoding="utf-8")
    # At build time only the May meeting was over.
    assert listing.index("/events/old-meeting/") > listing.index('data-events="past"')
    with serve(early_site.output) as base, chromium() as browser:
        page = browser.new_page()
        page.clock.set_fixed_time(READ_AT)
        page.goto(base + "/events/")
        assert slugs(page, "upcoming") == [
            "consultations-osh-1",
            "webinar",
            "consultations-naryn-1",
            "round-table",
            "consultations-batken-1",
            *EXAMPLES_AND_LATER,
        ]
        assert slugs(page, "past") == ["consultations-jalal-1", "past-training", "old-meeting"]
        headings = page.eval_on_selector_all('[data-events="past"] h3', "h => h.map(e => e.textContent)")
        assert headings == ["June 2027", "May 2027"]
        assert page.is_hidden('[data-events="past"] .events-none')

        page.goto(base + "/ru/")
        visible = page.eval_on_selector_all(
            '[data-events="home"] li:not([hidden]) a', "links => links.map(a => a.getAttribute('href'))"
        )
        assert visible == [
            "/ru/events/consultations-osh-1/",
            "/ru/events/consultations-naryn-1/",
            "/ru/events/round-table/",
        ]
