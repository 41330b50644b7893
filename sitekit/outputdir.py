"""The output folder and the folders beside it that a build uses, so that
``output/`` is always one whole site, whatever happens:

- ``.<name>.lock``: held (flock) by the one build writing this output; a
  second build waits for it, saying so. The lock goes with its process, so
  a killed build never leaves a stale lock.
- ``.<name>.building-<id>``: each build stages into a folder of its own.
- ``.<name>.old-<id>``: the replaced site, deleted after the swap.

``swap`` replaces the output with two renames. Whatever fails, or is
interrupted, ``repair`` (run at the start of every build and by the dev
server) puts the last good site back and removes the leftovers."""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import re
import shutil
import threading
import time
import uuid
from pathlib import Path

log = logging.getLogger(__name__)


class OutputBusy(RuntimeError):
    """Another build holds the output folder and did not finish in time."""


def lock_path(out: Path) -> Path:
    return out.with_name(f".{out.name}.lock")


def helper_name_pattern(out: Path) -> re.Pattern:
    """Names of the staging and replaced folders of ``out``."""
    return re.compile(rf"^\.{re.escape(out.name)}\.(building|old)-[0-9a-f]+$")


def _helpers(out: Path, kind: str) -> list[Path]:
    pattern = helper_name_pattern(out)
    if not out.parent.is_dir():
        return []
    found = [p for p in out.parent.iterdir() if pattern.match(p.name) and f".{kind}-" in p.name]
    return sorted(found, key=lambda p: p.stat().st_mtime)


@contextlib.contextmanager
def locked(out: Path, wait_seconds: float | None = None, say=log.warning):
    """Hold the output folder's lock; wait for another build first (saying
    so once), or raise OutputBusy after ``wait_seconds``."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path(out), "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            say(f"Waiting for another build of {out} to finish ({holder}) ...")
            deadline = None if wait_seconds is None else time.monotonic() + wait_seconds
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if deadline is not None and time.monotonic() > deadline:
                        raise OutputBusy(
                            f"{out}: another build ({holder}) is still writing it after "
                            f"{wait_seconds:.0f} s; try again when it has finished"
                        ) from None
                    time.sleep(0.1)
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}")
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextlib.contextmanager
def staged(out: Path, wait_seconds: float | None = None):
    """The lock held, leftovers repaired, and a staging folder of this
    build's own, removed at the end whatever happens (an interrupt too)."""
    with locked(out, wait_seconds):
        repair(out)
        staging = new_staging(out)
        try:
            yield staging
        finally:
            if staging.exists():
                shutil.rmtree(staging, ignore_errors=True)


def new_staging(out: Path) -> Path:
    staging = out.with_name(f".{out.name}.building-{uuid.uuid4().hex[:12]}")
    staging.mkdir(parents=True)
    return staging


def repair(out: Path) -> None:
    """Call with the lock held: if an interrupted swap left no output, put
    the newest replaced site back; then remove staging and replaced folders
    (a leftover that cannot be removed is named, and does not block)."""
    wait_for_cleanup()
    olds = _helpers(out, "old")
    if not out.exists() and olds:
        olds[-1].rename(out)
        log.warning("%s was missing after an interrupted build; the last good site was put back", out)
    for leftover in _helpers(out, "building") + _helpers(out, "old"):
        _remove(leftover)


def _remove(path: Path) -> None:
    errors = []

    def note(func, failed, exc_info):
        if not isinstance(exc_info[1], FileNotFoundError):  # gone already: fine
            errors.append(f"{failed}: {exc_info[1]}")

    shutil.rmtree(path, onerror=note)
    if errors:
        log.warning("could not remove %s (%s); it does no harm, delete it by hand", path, errors[0])


_cleanup: threading.Thread | None = None


def swap(staging: Path, out: Path) -> None:
    """Replace ``out`` with ``staging`` by two renames, so a reader (or the
    dev server) never sees a half-written site. On any failure the last
    good site stays (or is put back) and the error says what failed.

    The replaced site is deleted in a background thread: with thousands of
    pages, deleting it took a third of a warm rebuild. The next build, and
    the end of the process (the thread is not a daemon), wait for it."""
    global _cleanup
    wait_for_cleanup()
    old = out.with_name(f".{out.name}.old-{uuid.uuid4().hex[:12]}")
    moved = False
    try:
        if out.exists():
            out.rename(old)
            moved = True
        staging.rename(out)
    except OSError:
        if moved and not out.exists():
            old.rename(out)
        raise
    _cleanup = threading.Thread(target=_remove, args=(old,), name="remove-old-output")
    _cleanup.start()


def wait_for_cleanup() -> None:
    """Block until the previous build's replaced output is deleted."""
    if _cleanup is not None:
        _cleanup.join()
