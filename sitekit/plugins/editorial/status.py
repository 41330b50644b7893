"""The translation status page for editors (development build only): every
page and post × language with its state, from the same code as `invoke check`."""

from __future__ import annotations

from datetime import date

from pelican.generators import Generator

from sitekit.core import editorial, urls
from sitekit.core.alternates import alternates
from sitekit.core.site import build_context
from sitekit.core.sources import check_sources

STATUS_URL = urls.path("translation_status")


def status_rows(settings: dict, today: date | None = None) -> list[dict]:
    """One row per translation key: its title and, per language, a state:
    source, ok, stale, missing, plus 'review' flags (translation review
    needed, facts review overdue)."""
    site = build_context(settings).site
    langs, main = list(site.codes), site.main_lang
    sources, _, _ = check_sources(site.content, langs)
    changed = editorial.git_dates(site.content.parent, site.content)
    states = editorial.translation_states(sources, langs, main, changed)
    by_key = {(s.key, s.lang): s for s in sources}
    today = today or date.today()
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
                if editorial.needs_review(src):
                    flags.append("review-needed")
                if editorial.overdue(src, today, site.review_max_age_days):
                    flags.append("review-overdue")
            cells.append({"lang": lang, "state": row[lang], "flags": flags})
        rows.append({"key": key, "title": source.fm.text("title") or key, "cells": cells})
    return rows


class TranslationStatusGenerator(Generator):
    """Writes status/translations/ in every language when
    TRANSLATION_STATUS_PAGE is on (pelicanconf.py; off in publishconf.py)."""

    def generate_output(self, writer):
        ctx = build_context(self.settings)
        if not ctx.site.translation_status_page:
            return
        alternate_links = alternates(self.settings, {}, url=STATUS_URL, key=None)
        writer.write_file(
            urls.save_as("translation_status"),
            self.get_template("translation_status"),
            self.context,
            rows=ctx.once("translation-status", lambda: status_rows(self.settings)),
            languages=self.settings["LANGUAGES"],
            alternate_links=alternate_links,
            url=STATUS_URL,
        )
