"""`output/` is always one whole site: two builds at once never mix, a swap
that fails or is cut short keeps (or puts back) the last good site, and a
leftover that cannot be deleted does not block later builds."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import FIXTURE_CONTENT, ROOT, build

from sitekit.build import BuildError, abandon, build_site

BUILD = """
import sys
from sitekit.build import build_site
from sitekit import logs
logs.setup()
result = build_site(sys.argv[1], sys.argv[2], {"CACHE_PATH": sys.argv[3]})
print("BUILT", len(result.languages))
"""


def files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def start_build(tmp: Path, output: Path, cache: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", BUILD, str(ROOT / "pelicanconf.py"), str(output), str(tmp / cache)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


@pytest.mark.parametrize("apart", [0.0, 1.0], ids=["together", "one second apart"])
def test_two_builds_at_once_take_turns_and_leave_a_whole_site(tmp_path, apart):
    reference = build(tmp_path / "ref").output
    expected = files(reference)
    output = tmp_path / "output"
    first = start_build(tmp_path, output, "cache-1")
    time.sleep(apart)
    second = start_build(tmp_path, output, "cache-2")
    logs = [proc.communicate(timeout=300)[0] for proc in (first, second)]
    assert [proc.returncode for proc in (first, second)] == [0, 0], logs
    assert all("BUILT 3" in log for log in logs), logs
    assert any("Waiting for another build of" in log for log in logs), logs
    # One whole site, nothing half-written, no staging or replaced folder.
    assert files(output) == expected
    assert sorted(p.name for p in tmp_path.iterdir() if "output" in p.name) == [".output.lock", "output"]


def chattr(flag: str, path: Path) -> None:
    subprocess.run(["chattr", flag, str(path)], check=True)


def test_an_output_folder_that_cannot_be_replaced_keeps_the_last_site_and_says_why(tmp_path):
    first = build(tmp_path, PATH=str(FIXTURE_CONTENT))
    before = files(first.output)
    chattr("+i", first.output)  # immutable: it cannot be renamed away
    try:
        with pytest.raises(BuildError) as failed:
            build(tmp_path, PATH=str(FIXTURE_CONTENT))
    finally:
        chattr("-i", first.output)
    message = str(failed.value)
    assert "could not put the new site in place of" in message and "the last good site was kept" in message
    assert "Traceback" not in message
    assert files(first.output) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".output.")] == [".output.lock"]


def test_a_leftover_that_cannot_be_deleted_does_not_block_later_builds(tmp_path, caplog):
    first = build(tmp_path, PATH=str(FIXTURE_CONTENT))
    stuck = first.output / "stuck.txt"
    stuck.write_text("an undeletable file", encoding="utf-8")
    chattr("+i", stuck)
    try:
        second = build(tmp_path, PATH=str(FIXTURE_CONTENT))  # the old site cannot be deleted
        third = build(tmp_path, PATH=str(FIXTURE_CONTENT))  # ... and does not stop the next build
    finally:
        for leftover in tmp_path.glob(".output.old-*/stuck.txt"):
            chattr("-i", leftover)
    assert (third.output / "index.html").is_file() and not (third.output / "stuck.txt").exists()
    assert second.output == third.output
    assert "could not remove" in caplog.text and "delete it by hand" in caplog.text


def test_a_swap_cut_short_between_its_two_renames_is_repaired(tmp_path):
    first = build(tmp_path, PATH=str(FIXTURE_CONTENT))
    before = files(first.output)
    # What a kill between the renames leaves: the site moved aside, none in place.
    first.output.rename(tmp_path / ".output.old-0123456789ab")
    (tmp_path / ".output.building-ba9876543210").mkdir()
    abandon(first.output)
    assert files(first.output) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".output.")] == [".output.lock"]


@pytest.fixture
def small_disk(tmp_path):
    """A real 2 MB file system: room for one site, not for a second beside it."""
    mount = tmp_path / "disk"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)], check=True)
    yield mount
    subprocess.run(["umount", str(mount)], check=True)


def test_a_full_disk_fails_the_build_naming_it_and_keeps_the_last_site(tmp_path, small_disk):
    output = small_disk / "output"
    overrides = {"PATH": str(FIXTURE_CONTENT), "CACHE_PATH": str(tmp_path / "cache")}
    first = build_site(ROOT / "pelicanconf.py", output, overrides)
    before = {p: p.read_bytes() for p in first.output.rglob("*") if p.is_file()}
    with pytest.raises(BuildError) as failed:
        build_site(ROOT / "pelicanconf.py", output, overrides)
    message = str(failed.value)
    assert "space" in message.lower() and "Traceback" not in message, message
    assert {p: p.read_bytes() for p in output.rglob("*") if p.is_file()} == before
    assert [p.name for p in small_disk.iterdir() if p.name.startswith(".output.")] == [".output.lock"]
