"""The translation status page for editors (development build only): every
page and post × language with its state, from the same code as `invoke check`."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pelican.generators import Generator

from sitekit import check
from sitekit.build import once_per_build
from sitekit.plugins.multilang import multilang

STATUS_URL = "status/translations/"


def status_rows(settings: dict, today: date | None = None) -> list[dict]:
    """One row per translation key: its title and, per language, a state:
    source, ok, stale, missing, plus 'review' flags (translation review
    needed, facts review overdue)."""
    content = Path(settings["PATH"])
    langs = multilang.language_codes(settings)
    main = settings["MAIN_LANG"]
    sources, _ = check.collect_sources(content, langs)
    changed = check.git_dates(content.parent, content)
    states = check.translation_states(sources, langs, main, changed)
    by_key = {(s.key, s.lang): s for s in sources}
    overdue = {
        p.path
        for p in check.check_reviews(
            sources, today or date.today(), int(settings.get("REVIEW_MAX_AGE_DAYS", 365))
        )
        if p.field == "reviewed"
    }
    rows = []
    for key, row in states.items():
        source = by_key.get((key, main)) or next(
            by_key[(key, lang)] for lang in langs if (key, lang) in by_key
        )
        cells = []
        for lang in langs:
            src = by_key.get((key, lang))
            flags = []
            if src is not None:
                if src.meta.get("translation_review", ("",))[0].strip().lower() == "needed":
                    flags.append("review-needed")
                if src.path in overdue:
                    flags.append("review-overdue")
            cells.append({"lang": lang, "state": row[lang], "flags": flags})
        rows.append({"key": key, "title": source.meta.get("title", (key,))[0], "cells": cells})
    return rows


class TranslationStatusGenerator(Generator):
    """Writes status/translations/ in every language when
    TRANSLATION_STATUS_PAGE is on (pelicanconf.py; off in publishconf.py)."""

    def generate_output(self, writer):
        if not self.settings.get("TRANSLATION_STATUS_PAGE"):
            return
        alternates = multilang.alternates(
            self.settings, self.settings.get("TRANSLATION_INDEX", {}), url=STATUS_URL, key=None
        )
        writer.write_file(
            f"{STATUS_URL}index.html",
            self.get_template("translation_status"),
            self.context,
            rows=once_per_build(self.settings, "translation-status", lambda: status_rows(self.settings)),
            languages=self.settings["LANGUAGES"],
            alternate_links=alternates,
            url=STATUS_URL,
        )
