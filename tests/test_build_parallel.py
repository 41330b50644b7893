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
