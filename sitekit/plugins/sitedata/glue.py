"""What the signals call: load the data into the template context, check
each page's front matter, and check that data pages have their data."""

from __future__ import annotations

import logging
from pathlib import Path

from babel.dates import format_skeleton

from sitekit.core.errors import ContentError

from . import sitedata

log = logging.getLogger(__name__)


def data_dir(settings) -> Path:
    return Path(settings["PATH"]) / settings.get("SITEDATA_DIR", "data")


def format_as_of(value, lang: str) -> str:
    """A date, or a month ('November 2026'), in the page's language."""
    if isinstance(value, sitedata.Month):
        return format_skeleton("yMMMM", value.first_day, locale=lang)
    return format_skeleton("yMMMMd", value, locale=lang)


def on_generator_init(generator) -> None:
    settings = generator.settings
    lang = settings["DEFAULT_LANG"]
    context = generator.context
    if "SITEDATA" not in context:
        data = sitedata.load_all(data_dir(settings))
        context.update(sitedata.context_for(data, lang))
    generator.env.filters["format_as_of"] = lambda v: format_as_of(v, lang)


def on_content_object_init(content) -> None:
    if content.__class__.__name__ in ("Page", "Article"):
        try:
            sitedata.prepare_page(content)
        except ContentError as exc:
            # Pelican logs only "Could not process <file>"; say what is wrong.
            log.error("%s", exc)
            raise


def on_pages_finalized(generator) -> None:
    """A page with a data template needs its data file; list the pages that
    wait for a native speaker's review."""
    context = generator.context
    data = context.get("SITEDATA")
    for page in generator.pages + generator.hidden_pages:
        template = page.template
        need = sitedata.TEMPLATE_NEEDS.get(template)
        if need and data is not None and getattr(data, need) is None:
            raise ContentError(
                page.source_path, "Template", f"'{template}' shows content/data/{need}.yml, which is missing"
            )
    review = [
        p.relative_source_path
        for p in generator.pages + generator.hidden_pages
        if str(p.metadata.get("translation_review", "")).lower() == "needed"
    ]
    if review:
        log.info(
            "Translation review needed (%s): %s",
            generator.settings["DEFAULT_LANG"],
            ", ".join(sorted(review)),
        )
