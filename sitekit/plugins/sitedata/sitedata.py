"""The data plugin's public functions, for `invoke check`, tasks.py and
tests. The work is done in:

- ``reading``: files -> validated data (``validate_all``, ``load_all``);
- ``schemas``: what each file may contain (pydantic models);
- ``crosscheck``: rules between entries and files;
- ``messages``: pydantic's errors as ``file:line: [entry] field: message``;
- ``context``: the template variables (``context_for``, ``opcat_counts``);
- ``pages``: pages' Sources, Reviewed and Keywords, contact details in
  page text, the translation review list;
- ``glue``: what Pelican's signals call."""

from __future__ import annotations

from pathlib import Path

from sitekit.core.errors import ContentError
from sitekit.core.site import site_settings

from . import reading
from .context import context_for, opcat_counts
from .crosscheck import DataWarning
from .pages import contacts_in_text, needs_translation_review, page_sources, prepare_page
from .reading import SiteData, load_all, read_all, validate_all
from .schemas import CONTACT_KINDS, LEGAL_HELP_KINDS, NPM_MODELS, RETIRED_NUMBERS

__all__ = [
    "CONTACT_KINDS",
    "LEGAL_HELP_KINDS",
    "NPM_MODELS",
    "RETIRED_NUMBERS",
    "DataWarning",
    "SiteData",
    "check",
    "contacts_in_text",
    "context_for",
    "load_all",
    "load_regions",
    "needs_translation_review",
    "opcat_counts",
    "page_sources",
    "prepare_page",
    "read_all",
    "validate_all",
]


def check(settings) -> list[ContentError]:
    """For `invoke check` (the CONTENT_VALIDATORS setting): every problem in
    the data files (``DataWarning`` for those that do not stop a build), and
    contact details written into the text of a page."""
    site = site_settings(settings)
    errors = validate_all(site.data_dir, site.codes)
    for lang in site.codes:
        for path in sorted(Path(site.content, lang, "pages").glob("*.md")):
            errors += contacts_in_text(path)
    return errors


def load_regions(path, langs=()) -> list[dict]:
    """regions.yml as [{code, kind, name: {lang: text}}]; raises the first
    error. (The events plugin imports this; a plugin should read data through
    sitekit.core only, so this belongs there once events moves.)"""
    return [{"code": r.code, "kind": r.kind, "name": dict(r.name)} for r in reading.load_regions(path, langs)]
