"""Example content never reaches the public by accident: `invoke publish`
refuses it, naming each file, unless told --allow-samples, and then every
page showing it says "Example" in the reader's language."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

import pytest
from conftest import ROOT

EXAMPLE_WORD = {"en": "Example", "ru": "Пример", "ky": "Мисал"}


def publish(content, output, *extra):
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "invoke",
            "publish",
            "--siteurl",
            "https://example.org",
            "--content",
            str(content),
            "--output",
            str(output),
            *extra,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def content_with_example_post(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    for lang in EXAMPLE_WORD:
        (content / lang / "posts" / "example-post.md").write_text(
            "Title: Open day\nDate: 2026-10-01\nSample: yes\nSummary: An invented announcement.\n\nText.\n",
            encoding="utf-8",
        )
    return content


def test_publish_refuses_examples_naming_each_file(tmp_path, content_with_example_post):
    output = tmp_path / "out"
    result = publish(content_with_example_post, output)
    assert result.returncode != 0
    said = result.stdout + result.stderr
    for lang in EXAMPLE_WORD:
        assert f"{lang}/posts/example-post.md:3: example post (Sample: yes)" in said, said
    assert "--allow-samples" in said
    assert not output.exists(), "nothing may be published"


def test_allow_samples_publishes_them_marked_in_every_language(tmp_path, content_with_example_post):
    output = tmp_path / "out"
    result = publish(content_with_example_post, output, "--allow-samples")
    assert result.returncode == 0, result.stdout + result.stderr
    for lang, word in EXAMPLE_WORD.items():
        prefix = "" if lang == "en" else f"{lang}/"
        post = (output / f"{prefix}posts/example-post/index.html").read_text(encoding="utf-8")
        h1 = re.search(r"<h1>(.*?)</h1>", post, re.S).group(1)
        assert badges(h1) == [word]
        listing = (output / f"{prefix}posts/index.html").read_text(encoding="utf-8")
        items = re.findall(r"<li>(.*?)</li>", listing, re.S)
        example = next(i for i in items if "example-post" in i)
        real = next(i for i in items if "day-in-support" in i)
        assert badges(example) == [word] and badges(real) == []


def badges(html: str) -> list[str]:
    """The text of every "Example" badge (the published HTML is minified:
    attribute quotes may be gone)."""
    return re.findall(r'class="?example-badge"?>([^<]+)<', html)


def test_every_kind_of_example_is_found_once_with_its_place():
    from sitekit.build import load_settings
    from sitekit.readiness import find_samples, readiness_report

    settings = load_settings(ROOT / "publishconf.py")
    found = [str(s) for s in find_samples(settings)]
    schedule = ROOT / "content" / "schedules" / "2027-06-legal-consultations.csv"
    rows = [line for line in found if line.startswith(f"{schedule}:")]
    # A CSV row is named by its line; the header is line 1.
    assert rows and all(int(line.split(":")[1]) >= 2 for line in rows)
    event = ROOT / "content" / "en" / "events" / "2027-06-24-osh-open-day.md"
    assert len([line for line in found if line.startswith(str(event))]) == 1
    assert any("news-cache.json" in line and "example news item" in line for line in found)
    report = "\n".join(readiness_report(settings))
    assert "not yet confirmed by phone" in report and "legal-aid-service: 114" in report
