"""One set of content rules: the same bad front matter makes `invoke check`
and the build fail together, naming the same file, line and field."""

from __future__ import annotations

import re
import shutil

import pytest
from conftest import FIXTURE_CONTENT, build

from sitekit.build import BuildError, load_settings
from sitekit.check import ERROR, check_site

# (name, file below content/, text, line, field)
CASES = [
    ("bad date", "ru/pages/rights.md", "Title: T\nReviewed: 2025-13-45\n\nText.\n", 2, "reviewed"),
    (
        "date with a time",
        "ru/pages/rights.md",
        "Title: T\nReviewed: 2025-01-01 10:00\n\nText.\n",
        2,
        "reviewed",
    ),
    (
        "malformed source",
        "ru/pages/rights.md",
        "Title: T\nSources: UN | https://un.org\n    no pipe here\n\nText.\n",
        3,
        "sources",
    ),
    ("misspelt field", "ru/pages/rights.md", "Title: T\nReviewd: 2025-01-01\n\nText.\n", 2, "reviewd"),
    ("unknown field", "ru/pages/rights.md", "Title: T\nColour: red\n\nText.\n", 2, "colour"),
    ("missing title", "ru/pages/rights.md", "Reviewed: 2025-01-01\n\nText.\n", 1, "title"),
    ("wrong type", "ru/pages/rights.md", "Title: T\nMenu_order: first\n\nText.\n", 2, "menu_order"),
    ("impossible post date", "en/posts/bad-date.md", "Title: T\nDate: 2025-13-45\n\nText.\n", 2, "date"),
    ("post without a date", "en/posts/no-date.md", "Title: T\n\nText.\n", 1, "date"),
    ("forbidden field", "ru/pages/rights.md", "Title: T\nLang: en\n\nText.\n", 2, "lang"),
    # A page's own link-preview picture (plugin reach): a file below
    # content/images/ that exists, and words for what it shows.
    (
        "share image missing",
        "ru/pages/rights.md",
        "Title: T\nShare_image: images/none.png\nShare_image_alt: A card\n\nText.\n",
        2,
        "share_image",
    ),
    (
        "share image outside images/",
        "ru/pages/rights.md",
        "Title: T\nShare_image: pictures/card.png\nShare_image_alt: A card\n\nText.\n",
        2,
        "share_image",
    ),
    (
        "share image without alt text",
        "en/posts/shared.md",
        "Title: T\nDate: 2025-01-01\nShare_image: images/card.png\n\nText.\n",
        3,
        "share_image_alt",
    ),
]


def where(path, line, field) -> str:
    return f"{path}:{line}: {field}:"


@pytest.mark.slow
@pytest.mark.parametrize("name, rel, text, line, field", CASES, ids=[c[0] for c in CASES])
def test_check_and_build_fail_together_on_the_same_file_line_and_field(
    tmp_path, name, rel, text, line, field
):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    (content / "images").mkdir(exist_ok=True)
    (content / "images" / "card.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(32))
    target = content / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    expected = where(target, line, field)

    problems = check_site(load_settings("pelicanconf.py", {"PATH": str(content)}))
    errors = [str(p) for p in problems if p.severity == ERROR]
    assert [e for e in errors if e.startswith(expected)], f"check: {expected} not in {errors}"

    with pytest.raises(BuildError) as failed:
        build(tmp_path, PATH=str(content))
    message = str(failed.value)
    assert expected in message, f"build: {expected} not in {message}"
    assert "Traceback" not in message and "Could not process" not in message
    # The same errors, in the same words.
    for error in errors:
        if error.startswith(str(target)):
            assert re.sub(r" \(warning\)$", "", error) in message
    assert not (tmp_path / "output").exists()


def _copy(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    return content


@pytest.mark.slow
def test_a_file_that_is_not_utf8_is_named_by_check_and_build(tmp_path):
    content = _copy(tmp_path)
    page = content / "ru" / "pages" / "rights.md"
    page.write_bytes("Title: Права\n\nПытки запрещены.\n".encode("cp1251"))
    expected = f"{page}:1: encoding: byte 0xcf is not UTF-8"
    problems = check_site(load_settings("pelicanconf.py", {"PATH": str(content)}))
    assert any(str(p).startswith(expected) for p in problems if p.severity == ERROR)
    with pytest.raises(BuildError, match=re.escape(expected)):
        build(tmp_path, PATH=str(content))


RAW_HTML = [
    ("<script>alert(1)</script>", "a <script> element"),
    ('<img src="/x.png" alt="x" onerror="alert(1)">', "an on...= attribute"),
    ("[click](javascript:alert(1))", "a javascript: link"),
    ('<iframe src="https://example.org/"></iframe>', "an <iframe>"),
]


@pytest.mark.slow
@pytest.mark.parametrize("html, said", RAW_HTML, ids=[r[1] for r in RAW_HTML])
def test_raw_html_is_a_warning_from_check_and_build(tmp_path, html, said):
    content = _copy(tmp_path)
    page = content / "en" / "pages" / "rights.md"
    page.write_text(f"Title: Rights\n\nText.\n\n{html}\n", encoding="utf-8")
    expected = f"{page}:5: html: {said}"
    problems = check_site(load_settings("pelicanconf.py", {"PATH": str(content)}))
    assert [p for p in problems if str(p).startswith(expected) and p.severity != ERROR]
    result = build(tmp_path, PATH=str(content))
    assert any(w.startswith(expected) for w in result.warnings), result.warnings


@pytest.mark.parametrize("name", ["regions.yml", "hotline.yml", "contacts.yml", "feeds.yml", "opcat.yml"])
def test_a_data_file_that_is_not_utf8_or_repeats_a_key_is_named_by_check(tmp_path, name):
    from conftest import ROOT

    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    path = content / "data" / name
    overrides = {"PATH": str(content), "NEWS_FEEDS_PATH": str(content / "data" / "feeds.yml")}
    text = path.read_text(encoding="utf-8")
    path.write_bytes(("# Пытки\n" + text).encode("cp1251", errors="replace"))
    problems = [str(p) for p in check_site(load_settings("pelicanconf.py", overrides)) if p.severity == ERROR]
    assert any(p.startswith(f"{path}:1: encoding: byte ") for p in problems), problems
    # A key written twice in one mapping: YAML would keep the last silently.
    lines = text.splitlines()
    first = next(i for i, line in enumerate(lines) if line.strip() and not line.lstrip().startswith("#"))
    key_line = next(
        i
        for i, line in enumerate(lines)
        if i >= first and ":" in line and not line.lstrip().startswith(("#", "-"))
    )
    lines.insert(key_line + 1, lines[key_line])
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    problems = [str(p) for p in check_site(load_settings("pelicanconf.py", overrides)) if p.severity == ERROR]
    assert any(f"{path}:{key_line + 2}: yaml: the key" in p and "written twice" in p for p in problems), (
        problems
    )
