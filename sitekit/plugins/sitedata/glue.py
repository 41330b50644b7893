"""What the signals call: load the data once per build into every
language's template context, prepare each page's front matter, and check
that data pages have their data."""

from __future__ import annotations

import logging

from babel.dates import format_skeleton

from sitekit.core import values
from sitekit.core.errors import ContentError
from sitekit.core.site import build_context, run_language

from .context import context_for
from .pages import prepare_page
from .reading import load_all

log = logging.getLogger(__name__)

# Templates that render data: the file each one needs.
TEMPLATE_NEEDS = {"legal_help": "contacts", "rehabilitation": "contacts", "opcat": "opcat"}


def format_as_of(value, lang: str) -> str:
    """A date, or a month ('November 2026'), in the page's language."""
    if isinstance(value, values.Month):
        return format_skeleton("yMMMM", value.first_day, locale=lang)
    return format_skeleton("yMMMMd", value, locale=lang)


def on_generator_init(generator) -> None:
    lang = run_language(generator.settings)
    context = generator.context
    if "SITEDATA" not in context:
        build = build_context(generator.settings)
        site = build.site
        data = build.once("sitedata", lambda: load_all(site.data_dir, site.codes))
        context.update(context_for(data, lang))
    generator.env.filters["format_as_of"] = lambda v: format_as_of(v, lang)


def on_content_object_init(content) -> None:
    if content.__class__.__name__ in ("Page", "Article"):
        try:
            prepare_page(content)
        except ContentError as exc:
            # Pelican logs only "Could not process <file>"; say what is wrong.
            log.error("%s", exc)
            raise


def on_pages_finalized(generator) -> None:
    """A page with a data template needs its data file; list the pages that
    wait for a native speaker's review."""
    data = generator.context.get("SITEDATA")
    pages = generator.pages + generator.hidden_pages
    for page in pages:
        need = TEMPLATE_NEEDS.get(page.template)
        if need and data is not None and getattr(data, need) is None:
            raise ContentError(
                page.source_path,
                "Template",
                f"'{page.template}' shows content/data/{need}.yml, which is missing",
            )
    review = [
        p.relative_source_path
        for p in pages
        if str(p.metadata.get("translation_review", "")).lower() == "needed"
    ]
    if review:
        log.info(
            "Translation review needed (%s): %s", run_language(generator.settings), ", ".join(sorted(review))
        )
