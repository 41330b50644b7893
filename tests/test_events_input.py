"""Events: every kind of bad input is an error naming the file, the line
or row, and the field, from `invoke check` (the events plugin's ``check``)
and from a real build alike, never a traceback; the build stops and keeps
the last good output. CSV cases are written byte for byte."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import build
from test_events import FIXTURE, NOW, validate

from sitekit.build import BuildError

CSV = "schedules/consultations.csv"
CAMPAIGNS = "schedules/campaigns.yml"
# One case a line: name | file (CSV: the schedule) | what is replaced
# ("old => new"), or the row appended ("+ row") | line | field | words of
# the message.
BAD_CASES = """
end before start | en/events/round-table.md | End: 2027-06-26 13:00 => End: 2027-06-26 09:00 | 3 | end
    | before the start
unknown region (file) | en/events/old-meeting.md | Region: talas => Region: tallas | 4 | region
    | unknown region 'tallas'
unknown region (row) | CSV | + x-1;2027-06-30;10:00;11:00;oshh;;;Title;;;;;;;;; | 7 | region
    | unknown region 'oshh'
bad date | CSV | + x-1;2027-13-01;10:00;11:00;osh;;;Title;;;;;;;;; | 7 | date | write YYYY-MM-DD
bad time | CSV | 09:30 => 9h30 | 3 | start_time | write HH:MM
end time before start time | CSV | 09:30;12:30 => 12:30;09:30 | 3 | end_time | before the start
bad timezone | en/events/webinar.md | Europe/Moscow => Europe/Moskva | 4 | timezone
    | unknown timezone 'Europe/Moskva'
missing required column | CSV | end_time;region; => end_time;place; | 1 | columns | region
unknown status | en/events/old-meeting.md | Status: cancelled => Status: maybe | 6 | status
    | write one of scheduled, cancelled
unknown campaign | en/events/past-training.md | Campaign: june-26 => Campaign: june-27 | 5 | campaign
    | campaigns.yml
translations disagree | ky/events/round-table.md | Start: 2027-06-26 => Start: 2027-06-27 | 2 | start
    | translations must agree
duplicate row id | CSV | + osh-1;2027-06-30;10:00;11:00;osh;;;Title;;;;;;;;; | 7 | id | used twice
"""
BAD = {
    name: (CSV if rel == "CSV" else rel, change, int(line), field, words)
    for name, rel, change, line, field, words in (
        [part.strip() for part in case.split(" | ")]
        for case in BAD_CASES.replace("\n    |", " |").strip().splitlines()
    )
}


def mutate(content: Path, case: str) -> None:
    rel, change, *_ = BAD[case]
    path = content / rel
    text = path.read_text(encoding="utf-8-sig")
    if change.startswith("+ "):
        text += change[2:] + "\r\n"
    else:
        old, new = change.split(" => ")
        assert old in text, (path, old)
        text = text.replace(old, new)
    path.write_bytes(text.encode())


@pytest.mark.parametrize("case", list(BAD))
def test_bad_input_gives_a_named_error(case, tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    assert validate(content) == []
    rel, _, line, field, message = BAD[case]
    mutate(content, case)
    errors = validate(content)
    assert len(errors) == 1, [str(e) for e in errors]
    error = errors[0]
    assert error.path == content / rel
    assert error.field == field
    assert message in error.message
    assert error.line == line
    assert f"{rel}:{line}:" in str(error)


def test_validation_collects_every_error(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    for case in ("end before start", "unknown region (row)", "bad timezone"):
        mutate(content, case)
    assert {e.field for e in validate(content)} == {"end", "region", "timezone"}


def test_bad_event_stops_the_build_and_keeps_the_last_output(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    first = build(tmp_path, PATH=str(content), EVENTS_NOW=NOW)
    before = {p: p.read_bytes() for p in first.output.rglob("*") if p.is_file()}
    mutate(content, "unknown region (row)")
    with pytest.raises(BuildError, match=r"consultations\.csv:7: \[x-1\] region: unknown region"):
        build(tmp_path, PATH=str(content), EVENTS_NOW=NOW)
    after = {p: p.read_bytes() for p in first.output.rglob("*") if p.is_file()}
    assert after == before


# ------------------------------------------- broken files: check and build


HEADER = (
    b"id;date;start_time;end_time;region;campaign;status;title_en;title_ru;title_ky;"
    b"venue_en;venue_ru;venue_ky;organiser_en;organiser_ru;organiser_ky;_note\r\n"
)
GOOD_ROW = "naryn-1;2027-06-25;09:30;12:30;naryn;;;Naryn;Нарын;Нарын;;;;;;;\r\n".encode()


def _row(ident: str, title: bytes = b"Title", cells: int = 17) -> bytes:
    """A row of ``cells`` cells: id, a date, region osh-city and a title."""
    row = [ident.encode(), b"2027-06-21", b"", b"", b"osh-city", b"", b"", title]
    row += [b""] * (cells - len(row))
    return b";".join(row[:cells]) + b"\r\n"


BROKEN = {
    # name: (file below content/, bytes, line, field, words of the message)
    "a 200 KB cell": (
        CSV,
        HEADER + _row("osh-1", b"x" * 200_000) + GOOD_ROW,
        2,
        "title_en",
        "200,000 characters",
    ),
    "a quote never closed": (
        CSV,
        HEADER + _row("osh-1", b'"Free consultations in Osh') + GOOD_ROW,
        2,
        "quotes",
        "not closed where the cell ends",
    ),
    "a quote closed in a later row": (
        CSV,
        HEADER
        + _row("osh-1", b'"Free consultations in Osh')
        + b'naryn-1;2027-06-25;;;naryn;;;The "Naryn";\r\n',
        2,
        "quotes",
        "not closed where the cell ends",
    ),
    "a quote closed in the same column of the next row": (
        CSV,
        HEADER + _row("osh-1", b'"Free consultations in Osh') + _row("naryn-1", b'Naryn"') + GOOD_ROW,
        2,
        "quotes",
        "looks like a row of its own",
    ),
    "too few cells": (
        CSV,
        HEADER + _row("osh-1", cells=12) + GOOD_ROW,
        2,
        "cells",
        "12 cells where the header has 17",
    ),
    "too many cells": (
        CSV,
        HEADER + GOOD_ROW + _row("osh-1", cells=19),
        3,
        "cells",
        "19 cells where the header has 17",
    ),
    "campaigns as a mapping": (
        CAMPAIGNS,
        b"june-26:\n  name: {en: June}\nautumn:\n  name: {en: Autumn}\n",
        1,
        "campaigns",
        "expected a list of campaigns",
    ),
    "a campaign summary as text": (
        CAMPAIGNS,
        b"- code: june-26\n  name: {en: June}\n  summary: A month of events.\n"
        b"- code: autumn\n  name: {en: Autumn}\n",
        3,
        "summary",
        "expected a text per language",
    ),
    "a campaign name as a list": (
        CAMPAIGNS,
        b"- code: june-26\n  name: [June]\n- code: autumn\n  name: {en: Autumn}\n",
        2,
        "name",
        "expected a text per language",
    ),
    "a schedule not in UTF-8": (
        CSV,
        HEADER + _row("osh-1", "Ош шаарында".encode("cp1251")) + GOOD_ROW,
        2,
        "encoding",
        "not UTF-8",
    ),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_broken_file_is_named_by_check_and_by_the_build(case, tmp_path):
    rel, data, line, field, words = BROKEN[case]
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    (content / rel).write_bytes(data)
    errors = validate(content)
    assert len(errors) == 1, [str(e) for e in errors]
    error = errors[0]
    assert (error.line, error.field) == (line, field), str(error)
    assert words in error.message
    assert f"{rel}:{line}:" in str(error)
    with pytest.raises(BuildError) as raised:
        build(tmp_path, PATH=str(content), EVENTS_NOW=NOW)
    message = str(raised.value)
    assert f"{rel}:{line}:" in message and f"{field}: " in message and words in message
    assert "Traceback" not in message
