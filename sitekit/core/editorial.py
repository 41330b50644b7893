"""Editorial state of the content: which translations are missing or older
than their source, which pages wait for a native speaker's review, and
which are overdue for a facts review. `invoke check` reports it as
warnings; the translation status page (plugin editorial) shows it."""

from __future__ import annotations

import subprocess
from datetime import date, datetime, timedelta
from pathlib import Path

from . import rules, values
from .errors import ContentError
from .sources import SourceFile


def _date(value: str) -> date | None:
    try:
        return values.parse_date(value)
    except ValueError:
        return None  # reported by the front-matter rules


def git_dates(repo: Path, content: Path) -> dict[Path, datetime]:
    """Last commit time of every file under content/, in one git call."""
    try:
        out = subprocess.run(
            ["git", "log", "--format=@%cI", "--name-only", "--", str(content)],
            cwd=repo,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return {}
    dates: dict[Path, datetime] = {}
    current = None
    for line in out.splitlines():
        if line.startswith("@"):
            current = datetime.fromisoformat(line[1:])
        elif line.strip() and current is not None:
            dates.setdefault((repo / line.strip()).resolve(), current)
    return dates


def translation_states(
    sources: list[SourceFile], langs: list[str], main_lang: str, changed: dict[Path, datetime]
) -> dict[str, dict[str, str]]:
    """key -> lang -> one of: source, ok, missing, stale."""
    by_key: dict[str, dict[str, SourceFile]] = {}
    for src in sources:
        by_key.setdefault(src.key, {})[src.lang] = src
    states: dict[str, dict[str, str]] = {}
    for key, versions in sorted(by_key.items()):
        source = versions.get(main_lang) or next(iter(versions.values()))
        row = {}
        for lang in langs:
            src = versions.get(lang)
            if src is None:
                row[lang] = "missing"
            elif src is source:
                row[lang] = "source"
            else:
                row[lang] = "stale" if is_stale(src, source, changed) else "ok"
        states[key] = row
    return states


def source_changed_on(source: SourceFile, changed: dict[Path, datetime]) -> date | None:
    if "modified" in source.fm.values:
        return _date(source.fm.text("modified"))
    if not changed:  # no history (not a git checkout): nothing to look up
        return None
    when = changed.get(source.path.resolve())
    return when.date() if when else None


def is_stale(translation: SourceFile, source: SourceFile, changed: dict[Path, datetime]) -> bool:
    """A translation is stale when its source changed after it was made:
    after its translated_from date, or else after its own last commit."""
    source_date = source_changed_on(source, changed)
    if source_date is None:
        return False
    if "translated_from" in translation.fm.values:
        made = _date(translation.fm.text("translated_from"))
        return made is not None and source_date > made
    own = changed.get(translation.path.resolve())
    source_commit = changed.get(source.path.resolve())
    return own is not None and source_commit is not None and source_commit > own


def translation_warnings(sources, langs, main_lang, changed) -> list[ContentError]:
    """Missing translations, and translations older than their source."""
    found = []
    by_key = {(s.key, s.lang): s for s in sources}
    for key, row in translation_states(sources, langs, main_lang, changed).items():
        present = [by_key[(key, lang)] for lang in langs if (key, lang) in by_key]
        missing = [lang for lang, state in row.items() if state == "missing"]
        if missing and present[0].fm.text("status").lower() != "draft":
            found.append(
                ContentError(
                    present[0].path,
                    "translation",
                    f"missing in {', '.join(missing)}: add content/{missing[0]}/{key}",
                )
            )
        for lang, state in row.items():
            if state == "stale":
                src = by_key[(key, lang)]
                source = by_key.get((key, main_lang)) or present[0]
                when = source_changed_on(source, changed)
                found.append(
                    ContentError(
                        src.path,
                        "translation",
                        f"older than its source {source.path.name} (changed {when}): "
                        "update it, then set 'Translated_from: <that date>'",
                        line=src.fm.lines.get("translated_from"),
                    )
                )
    return found


def needs_review(src: SourceFile) -> bool:
    return src.fm.text("translation_review").strip().lower() == "needed"


def overdue(src: SourceFile, today: date, max_age_days: int) -> date | None:
    """The Reviewed date when it is more than ``max_age_days`` old."""
    when = _date(src.fm.text("reviewed"))
    return when if when and today - when > timedelta(days=max_age_days) else None


def review_warnings(sources, today: date, max_age_days: int) -> list[ContentError]:
    """Facts reviews overdue or missing, pages without sources, summary or
    keywords, and translations waiting for a native speaker."""
    found = []
    for src in sources:
        lines = src.fm.lines
        when = overdue(src, today, max_age_days)
        if when:
            found.append(
                ContentError(
                    src.path,
                    "reviewed",
                    f"last reviewed {when}, more than {max_age_days} days ago: check the facts "
                    "and sources, then set today's date",
                    line=lines["reviewed"],
                )
            )
        if src.kind == "pages":
            for name in ("reviewed", "sources", "summary", "keywords"):
                if not src.fm.text(name).strip():
                    found.append(
                        ContentError(
                            src.path,
                            name,
                            f"missing; add '{name.capitalize()}: ...' ({rules.fields('pages')[name].help})",
                            line=1,
                        )
                    )
        if needs_review(src):
            found.append(
                ContentError(
                    src.path,
                    "translation_review",
                    "marked as needing a native speaker's review; set 'done' when reviewed",
                    line=lines["translation_review"],
                )
            )
    return found
