"""Is the content ready for the public? `invoke publish` refuses example
content (``Sample: yes`` in front matter, a ``sample`` column in schedules,
``sample: true`` in data files) unless told otherwise, and prints what still
waits for a person: contacts not confirmed by phone, pages awaiting a
native speaker's review, facts reviews overdue."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sitekit.core import editorial, rules
from sitekit.core.site import SiteSettings
from sitekit.core.sources import collect
from sitekit.exports import plugin_exports


@dataclass(frozen=True)
class Sample:
    path: Path
    row: int | None  # a CSV row or a data file's line; None for a whole file
    what: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.row}" if self.row else str(self.path)
        return f"{where}: {self.what}"


def find_samples(settings: dict) -> list[Sample]:
    """Every piece of example content, file by file (and row by row)."""
    site = SiteSettings.from_pelican(settings)
    files, _ = collect(site.content, site.codes)
    found = []
    for src in files:
        try:
            is_sample = rules.parsed(src.kind, src.fm, "sample", False)
        except ValueError:
            is_sample = False  # `invoke check` reports the bad value
        if is_sample:
            found.append(
                Sample(src.path, src.fm.lines.get("sample"), f"example {src.kind[:-1]} (Sample: yes)")
            )
    named = {s.path for s in found}  # Markdown files already found here (events too)
    for samples in plugin_exports(settings, "samples"):
        found.extend(
            Sample(Path(path), row, what) for path, row, what in samples(settings) if Path(path) not in named
        )
    return sorted(found, key=lambda s: (str(s.path), s.row or 0))


def readiness_report(settings: dict, today: date | None = None) -> list[str]:
    """Lines telling what still waits for a person before the site is
    trustworthy; empty when nothing does."""
    site = SiteSettings.from_pelican(settings)
    today = today or date.today()
    files, _ = collect(site.content, site.codes)
    lines = []
    for unconfirmed in plugin_exports(settings, "unconfirmed"):
        items = unconfirmed(settings)
        if items:
            lines.append(f"{len(items)} contact detail(s) not yet confirmed by phone:")
            lines += [f"  {item}" for item in items]
    review = [src for src in files if editorial.needs_review(src)]
    if review:
        lines.append(
            f"{len(review)} page(s) waiting for a native speaker's review (Translation_review: needed):"
        )
        lines += [f"  {src.path.relative_to(site.content)}" for src in review]
    overdue = [
        (src, when) for src in files if (when := editorial.overdue(src, today, site.review_max_age_days))
    ]
    if overdue:
        lines.append(f"{len(overdue)} page(s) whose facts review is overdue:")
        lines += [f"  {src.path.relative_to(site.content)} (reviewed {when})" for src, when in overdue]
    return lines
