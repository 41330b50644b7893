"""`invoke check`: copy the fixture content, make one kind of mistake at a
time, and assert the exit code and that the output names file, line, field."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURE_CONTENT, ROOT


def run_check(content: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "invoke", "check", "--content", str(content), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def content(tmp_path):
    target = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, target)
    # The fixture's own warnings (a page only in English) stay; no errors.
    return target


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_fixture_content_has_no_errors_but_warnings(content):
    result = run_check(content)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 error(s)" in result.stdout
    assert "only-english.md: translation: missing in ru, ky" in result.stdout
    strict = run_check(content, "--strict")
    assert strict.returncode == 1


@pytest.mark.parametrize(
    "name, text, expected",
    [
        (
            "misspelt field",
            "Title: T\nReviewd: 2025-01-01\n\nText.\n",
            "ru/pages/rights.md:2: reviewd: unknown field; did you mean 'reviewed'?",
        ),
        (
            "bad date",
            "Title: T\nReviewed: 2025-13-45\n\nText.\n",
            "ru/pages/rights.md:2: reviewed: '2025-13-45' is not a real date",
        ),
        (
            "missing title",
            "Reviewed: 2025-01-01\n\nText.\n",
            "ru/pages/rights.md:1: title: missing; add a line 'Title: ...'",
        ),
        (
            "slug field",
            "Title: T\nSlug: prava\n\nText.\n",
            "ru/pages/rights.md:2: slug: the slug is the file name",
        ),
        (
            "link to a page missing in that language",
            "Title: T\n\nSee [this](/ky/only-english/).\n",
            "ru/pages/rights.md:3: link: /ky/only-english/: no such page in ky; that page exists only in en",
        ),
        (
            "image without alt",
            "Title: T\n\nText.\n\n![](/images/map.png)\n",
            "ru/pages/rights.md:5: image: /images/map.png has no alt text",
        ),
        (
            "missing filename link",
            "Title: T\n\nSee [x]({filename}nothing.md).\n",
            "ru/pages/rights.md:3: link: {filename}nothing.md: no such file",
        ),
    ],
)
def test_each_mistake_is_an_error_naming_file_line_and_field(content, name, text, expected):
    write(content / "ru" / "pages" / "rights.md", text)
    result = run_check(content)
    assert result.returncode == 1, name
    assert expected in result.stdout, result.stdout


def test_file_outside_a_language_folder(content):
    write(content / "fr" / "pages" / "x.md", "Title: X\n\nX.\n")
    write(content / "en" / "loose.md", "Title: X\n\nX.\n")
    result = run_check(content)
    assert result.returncode == 1
    assert "fr/pages/x.md: location: Markdown must live in content/<language>/<kind>/" in result.stdout
    assert "en/loose.md: location:" in result.stdout


def test_two_files_with_the_same_slug(content):
    write(content / "en" / "pages" / "more" / "rights.md", "Title: X\n\nX.\n")
    result = run_check(content)
    assert result.returncode == 1
    assert (
        "en/pages/rights.md: slug: 'rights' is also the name of" in result.stdout
        or "more/rights.md: slug: 'rights' is also the name of" in result.stdout
    )


def test_bad_file_name(content):
    write(content / "en" / "pages" / "My Page.md", "Title: X\n\nX.\n")
    result = run_check(content)
    assert result.returncode == 1
    assert "My Page.md: file name: use lowercase Latin letters, digits and hyphens" in result.stdout
    assert "e.g. my-page.md" in result.stdout


def test_translation_older_than_its_source_by_date_fields(content):
    write(content / "en" / "pages" / "rights.md", "Title: Rights\nModified: 2026-03-01\n\nChanged text.\n")
    write(
        content / "ky" / "pages" / "rights.md", "Title: Укуктар\nTranslated_from: 2026-01-10\n\nЭски текст.\n"
    )
    result = run_check(content)
    assert result.returncode == 0
    assert (
        "ky/pages/rights.md:2: translation: older than its source rights.md (changed 2026-03-01)"
    ) in result.stdout
    assert "ru/pages/rights.md" not in result.stdout.split("older than")[0].splitlines()[-1]
    assert run_check(content, "--strict").returncode == 1


def test_translation_older_than_its_source_by_git_history(tmp_path):
    repo = tmp_path / "repo"
    content = repo / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    env = dict(
        os.environ,
        GIT_AUTHOR_NAME="t",
        GIT_AUTHOR_EMAIL="t@example.org",
        GIT_COMMITTER_NAME="t",
        GIT_COMMITTER_EMAIL="t@example.org",
    )

    def commit(message, when):
        env.update(GIT_AUTHOR_DATE=when, GIT_COMMITTER_DATE=when)
        subprocess.run(["git", "add", "-A"], cwd=repo, check=True, env=env)
        subprocess.run(["git", "commit", "-qm", message], cwd=repo, check=True, env=env)

    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    commit("all", "2026-01-01T10:00:00+00:00")
    (content / "en" / "pages" / "rights.md").write_text("Title: Rights\n\nNew facts.\n", encoding="utf-8")
    commit("source changed", "2026-02-01T10:00:00+00:00")
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys;"
            "from sitekit.build import load_settings; from sitekit.check import check_site;"
            "from pathlib import Path;"
            "[print(p) for p in check_site(load_settings('pelicanconf.py', {'PATH': sys.argv[2]}),"
            " repo=Path(sys.argv[3]))]",
            str(ROOT),
            str(content),
            str(repo),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    stale = [line for line in result.stdout.splitlines() if "older than its source" in line]
    assert len(stale) == 2, result.stdout
    assert any("ru/pages/rights.md" in line for line in stale)
    assert any("(changed 2026-02-01)" in line for line in stale)


def test_reviews_overdue_and_native_review_needed_are_warnings(content):
    write(
        content / "ru" / "pages" / "rights.md",
        "Title: Права\nReviewed: 2020-01-01\nTranslation_review: needed\n\nТекст.\n",
    )
    result = run_check(content)
    assert result.returncode == 0
    assert "ru/pages/rights.md:2: reviewed: last reviewed 2020-01-01, more than 365 days ago" in result.stdout
    assert (
        "ru/pages/rights.md:3: translation_review: marked as needing a native speaker's review"
        in result.stdout
    )


def test_bundled_content_has_no_errors():
    result = subprocess.run(
        [sys.executable, "-m", "invoke", "check"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 error(s)" in result.stdout


def test_schedules_are_checked_by_the_events_plugin_own_validation(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    schedule = next((content / "schedules").glob("*.csv"))
    lines = schedule.read_text(encoding="utf-8-sig").splitlines()
    lines[1] = lines[1].replace(",bishkek,", ",bishkekk,", 1)
    schedule.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_check(content)
    assert result.returncode == 1
    line = next(text for text in result.stdout.splitlines() if schedule.name in text)
    assert f"{schedule.name}:2:" in line and "region" in line and "bishkekk" in line, line


def test_a_page_linking_to_every_generated_address_kind_passes(tmp_path):
    """Links to what generators write (events, regions, campaigns, calendars,
    news, search, posts, the feed) are known to `invoke check`: the
    addresses come from the generators' own declarations."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    slug = "2027-06-legal-consultations-osh-0621"
    targets = [
        "/events/",
        "/events/2027-06-26-bishkek-round-table/",
        f"/ru/events/{slug}/",
        "/events/region/osh/",
        "/ky/events/region/batken/",
        "/events/campaign/june-26-2027/",
        "/calendar/all.ics",
        "/calendar/region/osh.ics",
        "/ru/calendar/campaign/june-26-2027.ics",
        f"/calendar/event/{slug}.ics",
        "/news/",
        "/ky/news/",
        "/search/",
        "/ru/search/",
        "/posts/",
        "/posts/2026-06-26-day-in-support/",
        "/feeds/all.atom.xml",
    ]
    links = "\n".join(f"- [{t}]({t})" for t in targets)
    page = write(content / "en" / "pages" / "about.md", f"Title: About\n\n{links}\n")
    result = run_check(content)
    link_problems = [line for line in result.stdout.splitlines() if "about.md" in line and "link:" in line]
    assert link_problems == [], link_problems
    # And a link to an address nobody writes is still caught.
    write(page, "Title: About\n\n[x](/events/region/atlantis/)\n")
    result = run_check(content)
    assert "about.md:3: link: /events/region/atlantis/: no such page in en" in result.stdout


def test_the_build_checks_in_forked_processes_with_the_same_answer(content, monkeypatch):
    """The build starts the one-file checks in forked processes while it
    imports its plugins (core.sources.check_sources_started): with files out
    of place, bad front matter, contacts in text, raw HTML and two files of
    one name spread over both shares, its answer is check_sources's."""
    from sitekit.core import sources
    from sitekit.core.sources import check_sources, check_sources_started

    write(content / "fr" / "pages" / "x.md", "Title: X\n\nX.\n")
    write(content / "en" / "pages" / "more" / "rights.md", "Title: X\n\nX.\n")
    write(content / "ru" / "pages" / "rights.md", "Title: T\nReviewd: 2025-01-01\n\nCall +996 555 123 456.\n")
    write(content / "ky" / "posts" / "z-last.md", "Title: Z\nDate: 2025-13-45\n\n<script>x()</script>\n")
    langs = ["en", "ru", "ky"]
    expected = check_sources(content, langs, keep_bodies=False)

    def not_here(*args, **kwargs):
        raise AssertionError("checked again in this process: the forked ones did not answer")

    monkeypatch.setattr(sources, "check_sources", not_here)
    files, errors, warnings = check_sources_started(content, langs, jobs=2)()
    assert [vars(src) for src in files] == [vars(src) for src in expected[0]]
    assert [str(e) for e in errors] == [str(e) for e in expected[1]]
    assert [str(w) for w in warnings] == [str(w) for w in expected[2]]
    kinds = {e.field for e in errors}
    assert {"location", "slug", "reviewd", "text", "date"} <= kinds, kinds
    assert warnings, "the raw <script> is a warning"
