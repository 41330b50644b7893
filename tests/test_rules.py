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
