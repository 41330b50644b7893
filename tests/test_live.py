"""The dev server's partial rebuilds (sitekit/live.py): after each edit,
the whole output equals what a fresh full build of the same content writes,
file for file and byte for byte (the search index apart, which waits for the
next full build); what cannot be rebuilt in part is rebuilt in full; a
removed or renamed post leaves no old page behind, through the real
`invoke serve`."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import ROOT
from test_devserver import REBUILT, Server, edit, project_copy
from watchfiles import Change

from sitekit.build import BuildError, build_site, wait_for_cleanup
from sitekit.live import LiveSite

POST = "en/posts/2026-06-26-day-in-support.md"


def tree(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder`` but the search index."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in folder.rglob("*")
        if p.is_file() and p.relative_to(folder).parts[0] != "pagefind"
    }


def full_build(content: Path, out: Path, **settings) -> dict[str, bytes]:
    shutil.rmtree(out, ignore_errors=True)
    overrides = {"PATH": str(content), "CACHE_PATH": str(out.parent / f"{out.name}-cache"), **settings}
    result = build_site(ROOT / "pelicanconf.py", out, overrides)
    wait_for_cleanup()
    return tree(result.output)


def assert_same(served: dict[str, bytes], full: dict[str, bytes], what: str) -> None:
    missing = sorted(full.keys() - served.keys())
    extra = sorted(served.keys() - full.keys())
    differ = sorted(path for path in served.keys() & full.keys() if served[path] != full[path])
    assert not (missing or extra or differ), (
        f"{what}: missing {missing[:5]}, extra {extra[:5]}, different {differ[:5]}"
    )


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("live")
    content = tmp / "content"
    shutil.copytree(ROOT / "content", content)
    overrides = {"PATH": str(content), "CACHE_PATH": str(tmp / "cache")}
    site = LiveSite(ROOT / "pelicanconf.py", tmp / "output", overrides)
    site.full()
    wait_for_cleanup()
    return site, content, tmp


# (file below content/, old text, new text, rebuilt in part?, a file that changes)
EDITS = [
    (POST, "", "\nA sentence added to a post.\n", True, "posts/2026-06-26-day-in-support/index.html"),
    (POST, "Title: ", "Title: Renamed: ", True, "posts/index.html"),  # listings, feed, home
    ("ru/pages/convention.md", "", "\nАбзац, добавленный в страницу.\n", True, "ru/convention/index.html"),
    ("ru/posts/2026-06-26-day-in-support.md", "Date: 2026", "Date: 2025", True, "ru/posts/index.html"),
    # Full rebuilds: a page's title is drawn on its share image (reach) ...
    ("ky/pages/npm.md", "Title: ", "Title: Жаңы: ", False, "ky/search/index.html"),
    # ... the rights page is printed on the rights card ...
    ("ru/pages/rights.md", "", "\nАбзац, добавленный в страницу.\n", False, "ru/rights/index.html"),
    # ... and a menu label is on every page.
    ("en/pages/rights.md", "Menu_label: Your rights", "Menu_label: Rights", False, "about/index.html"),
]


@pytest.mark.parametrize(("rel", "old", "new", "partial", "shows"), EDITS, ids=[e[0] for e in EDITS])
def test_a_rebuild_after_an_edit_writes_what_a_full_build_writes(live, rel, old, new, partial, shows):
    site, content, tmp = live
    before = tree(site.output)
    edit(content / rel, old, new)
    result = site.rebuild({(Change.modified, str(content / rel))})
    wait_for_cleanup()
    assert result.partial == partial, rel
    after = tree(site.output)
    assert after[shows] != before[shows], f"{rel}: {shows} did not change"
    if partial:
        assert set(site.last_partial) <= {path for path in after if after[path] != before.get(path)}
    assert_same(after, full_build(content, tmp / "reference"), rel)


def test_a_partial_rebuild_that_fails_keeps_the_site_and_the_next_edit_recovers(live):
    site, content, tmp = live
    path = content / POST
    good = path.read_text(encoding="utf-8")
    before = tree(site.output)
    edit(path, "Date: 2026", "Date: 2026-13")  # no such month
    with pytest.raises(BuildError, match=r"day-in-support\.md"):
        site.rebuild({(Change.modified, str(path))})
    assert tree(site.output) == before, "a failed rebuild must leave the site as it was"
    assert not list(tmp.glob(".output.building-*"))
    path.write_text(good + "\nFixed.\n", encoding="utf-8")
    site.rebuild({(Change.modified, str(path))})
    wait_for_cleanup()
    assert b"Fixed." in (site.output / "posts" / path.stem / "index.html").read_bytes()
    assert_same(tree(site.output), full_build(content, tmp / "reference"), "after recovering")


def test_other_changes_are_full_rebuilds(live):
    site, content, _tmp = live
    data_file = content / "data" / "hotline.yml"
    result = site.rebuild({(Change.modified, str(data_file))})
    assert not result.partial
    new = content / "en" / "posts" / "a-new-post.md"
    new.write_text((content / POST).read_text(encoding="utf-8"), encoding="utf-8")
    result = site.rebuild({(Change.added, str(new))})
    assert not result.partial
    assert (site.output / "posts" / "a-new-post" / "index.html").is_file()
    new.unlink()
    result = site.rebuild({(Change.deleted, str(new))})
    assert not result.partial
    assert not (site.output / "posts" / "a-new-post").exists()


def test_the_dev_server_serves_after_an_edit_what_a_full_build_writes_and_drops_old_pages(tmp_path):
    project = project_copy(tmp_path / "project")
    server = Server(project)
    try:
        posts = project / "content" / "en" / "posts"
        url = "/posts/2026-06-26-day-in-support/"
        edit(posts / "2026-06-26-day-in-support.md", "", "\nSaved in the dev server.\n")
        server.wait_for(REBUILT, count=1)
        status, body = server.get(url)
        assert status == 200 and "Saved in the dev server." in body
        # As `invoke serve` builds it: with the live-reload script.
        reference = full_build(project / "content", tmp_path / "reference", LIVERELOAD=True)
        assert_same(tree(project / "output"), reference, "served")

        # Renamed: the new address is there, the old one is gone.
        (posts / "2026-06-26-day-in-support.md").rename(posts / "renamed-post.md")
        server.wait_for(REBUILT, count=2)
        assert server.get("/posts/renamed-post/")[0] == 200
        assert server.get(url)[0] == 404
        assert not (project / "output" / "posts" / "2026-06-26-day-in-support").exists()

        # Removed: its page is gone too.
        (posts / "renamed-post.md").unlink()
        server.wait_for(REBUILT, count=3)
        assert server.get("/posts/renamed-post/")[0] == 404
        assert not (project / "output" / "posts" / "renamed-post").exists()
        reference = full_build(project / "content", tmp_path / "reference", LIVERELOAD=True)
        # With no post left, a feed's <updated> is the time it was written.
        served = tree(project / "output")
        for files in (served, reference):
            files.pop("feeds/all.atom.xml")
        assert_same(served, reference, "removed")
    finally:
        server.kill()
    assert "Traceback" not in server.log()
