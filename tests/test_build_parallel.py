"""The language runs in parallel processes (sitekit/workers.py) write what
one process writes; what the runs log reaches the build (warnings counted,
an exception stops it and keeps the last site); the search index made one
language at a time is the index of one run over the site; the reused
Markdown instance reads files as a new one does."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURE_CONTENT, build
from pelican.readers import MarkdownReader
from pelican.settings import DEFAULT_CONFIG

from sitekit import search
from sitekit.build import BuildError, wait_for_cleanup
from sitekit.markdown_reader import ReusingMarkdownReader


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def entry(files: dict[str, bytes]) -> dict:
    """pagefind-entry.json: one run lists its languages in any order."""
    return json.loads(files.pop("pagefind/pagefind-entry.json"))


def test_parallel_runs_write_what_one_process_writes(tmp_path):
    one = build(tmp_path / "one", BUILD_JOBS=1)
    parallel = build(tmp_path / "parallel", BUILD_JOBS=3)
    wait_for_cleanup()
    assert one.warnings == parallel.warnings == []
    serial, forked = tree(one.output), tree(parallel.output)
    assert entry(serial) == entry(forked)
    assert sorted(serial) == sorted(forked)
    different = [path for path in serial if serial[path] != forked[path]]
    assert different == []
    # Timed apart: each language, and its search index after it.
    parts = {"prepare", "languages", "run en", "run ru", "run ky", "step index_site ru"}
    assert parts <= set(parallel.timings)


def test_a_warning_in_a_language_run_reaches_the_build(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    post = content / "ru" / "posts" / "campaign.md"
    text = post.read_text(encoding="utf-8") + "\n[link]({filename}no-such-post.md)\n"
    post.write_text(text, encoding="utf-8")
    result = build(tmp_path, PATH=str(content), BUILD_JOBS=3)
    assert any("no-such-post.md" in warning for warning in result.warnings), result.warnings


def test_an_exception_in_a_language_run_stops_the_build_and_keeps_the_site(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    first = build(tmp_path, PATH=str(content), BUILD_JOBS=3)
    wait_for_cleanup()
    before = tree(first.output)
    page = content / "ky" / "pages" / "rights.md"
    page.write_text("Template: no-such-layout\n" + page.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(BuildError, match=r"no-such-layout") as failed:
        build(tmp_path, PATH=str(content), BUILD_JOBS=3)
    assert "Traceback" not in str(failed.value)
    assert tree(first.output) == before
    assert sorted(p.name for p in tmp_path.iterdir() if "output" in p.name) == [".output.lock", "output"]


def test_search_index_one_language_at_a_time_is_one_run_over_the_site(tmp_path):
    site = build(tmp_path / "site", POST_BUILD_STEPS=[]).output
    whole, parts = tmp_path / "whole", tmp_path / "parts"
    shutil.copytree(site, whole)
    shutil.copytree(site, parts)
    search.index_site(whole)
    prefixes = {"en": "", "ru": "ru", "ky": "ky"}
    for lang, prefix in prefixes.items():
        others = {p for code, p in prefixes.items() if p and code != lang}
        assert search.index_language(parts, lang, prefix, others).returncode == 0
    merged = search.merge_languages(parts, list(prefixes))
    assert merged["languages"] == search.indexed_languages(whole)
    one, each = tree(whole / "pagefind"), tree(parts / "pagefind")
    assert json.loads(one.pop("pagefind-entry.json")) == json.loads(each.pop("pagefind-entry.json"))
    assert one == each
    assert not (parts / search.PARTS_DIR).exists()


MARKDOWN_FILES = {
    "a.md": "Title: A\nSummary: *Short* with a footnote[^1].\n\nText[^1] with HTML.\n\n"
    "*[HTML]: Hyper Text\n\n[^1]: The note.\n\n| a | b |\n|:--|--:|\n| 1 | 2 |\n",
    "b.md": "Title: B\nTags: x, y\n\nNo abbreviation: HTML.[^n]\n\n[^n]: Another.\n\n"
    "```python\nprint(1)\n```\n",
    "c.md": 'Title: C\n\n<div markdown="1">*inside*</div>\n\nTerm\n:   Definition\n',
}


def test_the_reused_markdown_instance_reads_as_a_new_one(tmp_path):
    for name, text in MARKDOWN_FILES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    settings = {**DEFAULT_CONFIG, "MARKDOWN": dict(json.loads(json.dumps(DEFAULT_CONFIG["MARKDOWN"])))}
    fresh, reused = MarkdownReader(settings), ReusingMarkdownReader(dict(settings))
    for _round in range(2):
        for name in MARKDOWN_FILES:
            path = str(tmp_path / name)
            assert reused.read(path) == fresh.read(path), name
    assert "<abbr" in reused.read(str(tmp_path / "a.md"))[0]
    assert "<abbr" not in reused.read(str(tmp_path / "b.md"))[0]


@pytest.mark.parametrize(
    "text",
    ["2020-01-01", "2020-01-01 09:00", "2020-01-01_09:00", "2020-12-31  23:59:59", "2023-02-29", "1 Jan"],
)
def test_dates_are_read_as_pelican_reads_them(text):
    from pelican.utils import get_date

    reader = ReusingMarkdownReader(dict(DEFAULT_CONFIG))
    for name, given in (("date", text.replace("_", " ")), ("modified", text)):
        try:
            expected = get_date(given)
        except ValueError as exc:
            with pytest.raises(ValueError, match=re.escape(str(exc))):
                reader.process_metadata(name, text)
            continue
        got = reader.process_metadata(name, text)
        assert got == expected and type(got) is type(expected)


def _site_markdown():
    """A Markdown instance with this site's MARKDOWN setting (pelicanconf.py),
    as Pelican converts a formatted field with it (no "meta" preprocessor)."""
    import markdown
    from conftest import ROOT
    from pelican.settings import read_settings

    config = read_settings(str(ROOT / "pelicanconf.py"))["MARKDOWN"]
    extensions = list(config.get("extension_configs", {}))
    md = markdown.Markdown(extensions=extensions, **config)
    md.preprocessors.deregister("meta")
    return md


def test_plain_summaries_are_what_markdown_makes_of_them():
    """plain_paragraph answers only for text that Markdown turns into
    <p>text</p>: checked on random text over every ASCII mark and some
    others (half of it drawn from the marks it accepts, so that it does
    answer often), and on every Summary of the bundled content."""
    import random

    from conftest import ROOT

    from sitekit.markdown_reader import _PLAIN_PUNCTUATION, plain_paragraph

    md = _site_markdown()
    rng = random.Random(13)
    letters = "abcXYZ\u0430\u0431\u0432\u0416\u04e9\u04af\u04a3"
    every = (
        letters
        + "0123456789 \n\t"
        + "".join(map(chr, range(33, 127)))
        + "\u2019\u00ab\u00bb\u2013\u2014\u00a0\u2026"
    )
    safe = letters + "0123456789" + "".join(_PLAIN_PUNCTUATION)
    samples = [
        "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 40)))
        for alphabet in (every, safe)
        for _ in range(4000)
    ]
    for path in (ROOT / "content").rglob("*.md"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.lower().startswith("summary:"):
                samples.append(line.split(":", 1)[1].strip())
    answered = 0
    for text in samples:
        html = plain_paragraph(text)
        if html is not None:
            answered += 1
            md.reset()
            assert html == md.convert(text), repr(text)
    assert answered > 1000, answered


def test_a_post_with_a_plain_summary_reads_as_pelican_reads_it(tmp_path):
    settings = {**DEFAULT_CONFIG, "MARKDOWN": dict(json.loads(json.dumps(DEFAULT_CONFIG["MARKDOWN"])))}
    fresh, reused = MarkdownReader(settings), ReusingMarkdownReader(dict(settings))
    path = tmp_path / "p.md"
    path.write_text(
        "Title: P\nSummary: Права задержанных: что говорит закон (2025).\nTags: a, b\n\nText.\n",
        encoding="utf-8",
    )
    assert reused.read(str(path)) == fresh.read(str(path))
    assert list(reused.read(str(path))[1]) == list(fresh.read(str(path))[1])


def _probe_runs(tmp_path, run_seconds: dict) -> dict:
    """run_parallel with language runs that sleep, each followed by a
    command recording its cores and when it ran."""
    import sys
    import time

    from sitekit import workers

    record = tmp_path / "record"
    record.mkdir(parents=True, exist_ok=True)
    probe = (
        "import json, os, sys, time; start = time.time(); time.sleep(0.3); "
        "json.dump({'cores': sorted(os.sched_getaffinity(0)), 'start': start, 'end': time.time()}, "
        "open(sys.argv[1], 'w'))"
    )

    def follow_up(lang):
        return [(f"probe {lang}", [sys.executable, "-c", probe, str(record / f"{lang}.json")], tmp_path)]

    done = []
    workers.run_parallel(
        list(run_seconds),
        lambda lang: time.sleep(run_seconds[lang]),
        2,
        str,
        follow_up=follow_up,
        command_done=lambda name, status, output, seconds: done.append((name, status)),
    )
    assert sorted(done) == sorted((f"probe {lang}", 0) for lang in run_seconds)
    return {lang: json.loads((record / f"{lang}.json").read_text()) for lang in run_seconds}


def test_follow_up_commands_one_at_a_time_on_one_core_while_runs_go(tmp_path):
    """The search index's commands write into one folder: never two at once,
    even when only commands are left. While language runs are still going
    or waiting, a command keeps to one core (the runs keep the others);
    once none is left, it has them all."""
    import itertools
    import os

    everything = sorted(os.sched_getaffinity(0))
    for run_seconds in ({"en": 0.1, "ru": 0.1, "ky": 1.5}, {"en": 0.05, "ru": 0.05, "ky": 0.05}):
        runs = _probe_runs(tmp_path / str(run_seconds["ky"]), run_seconds)
        spans = sorted((r["start"], r["end"]) for r in runs.values())
        assert all(end <= start for (_s, end), (start, _e) in itertools.pairwise(spans)), spans
    runs = _probe_runs(tmp_path / "pinned", {"en": 0.1, "ru": 0.1, "ky": 1.5})
    if len(everything) >= 2:
        assert len(runs["en"]["cores"]) == len(runs["ru"]["cores"]) == 1  # ky's run still going
        assert runs["ky"]["cores"] == everything  # no run left
    else:
        assert all(r["cores"] == everything for r in runs.values())
