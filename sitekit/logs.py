"""What the tasks print: one plain line per message, warnings only for real
problems and each once.

Pelican's own set-up (a Rich handler) wraps long lines at 80 columns when
its output is not a terminal and prints a "Done: Processed ..." summary for
each language's run; the build reports itself in one line instead."""

from __future__ import annotations

import logging
import sys
from pathlib import Path


class _Format(logging.Formatter):
    def formatMessage(self, record):
        record.level = f"{record.levelname}: " if record.levelno >= logging.WARNING else ""
        return super().formatMessage(record)


class ShownOnce(logging.Filter):
    """Shows a warning once, not again on each build that repeats it: the
    three language runs log many of the same, and so does every rebuild of
    the dev server while the problem is there. One that goes away and comes
    back is shown again. Errors always pass."""

    def __init__(self):
        super().__init__()
        self._previous: set[str] = set()
        self._current: set[str] = set()

    def filter(self, record):
        if record.levelno != logging.WARNING:
            return True
        message = record.getMessage()
        new = message not in self._previous and message not in self._current
        self._current.add(message)
        return new

    def next_build(self) -> None:
        self._previous, self._current = self._current, set()


def setup(level: int = logging.WARNING, info: tuple[str, ...] = (), clock: bool = False) -> ShownOnce:
    """Log to stderr from ``level`` up, and the loggers named in ``info``
    from INFO, each line after the time of day if ``clock``; returns the
    filter that shows each warning once."""
    from pelican import log as pelican_log  # sets Pelican's logger class first

    pelican_log.console.quiet = True  # its per-run "Done: Processed ..." lines
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_Format(("%(asctime)s " if clock else "") + "%(level)s%(message)s", "%H:%M:%S"))
    once = ShownOnce()
    handler.addFilter(once)
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    for name in info:
        logging.getLogger(name).setLevel(logging.INFO)
    return once


def review_notice(content: Path) -> str | None:
    """The pages marked ``Translation_review: needed``, in one line."""
    from sitekit.plugins.sitedata import sitedata

    review = sitedata.needs_translation_review(content)
    if not review:
        return None
    return f"{len(review)} page(s) wait for a native speaker's review (Translation_review: needed): " + (
        ", ".join(p.relative_to(content).as_posix() for p in review)
    )
