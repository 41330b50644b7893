"""The data plugin's public functions, for `invoke check`, tasks.py and
tests. The work is done in:

- ``reading``: files -> validated data (``validate_all``, ``load_all``);
- ``schemas``: what each file may contain (pydantic models);
- ``crosscheck``: rules between entries and files;
- ``messages``: pydantic's errors as ``file:line: [entry] field: message``;
- ``context``: the template variables (``context_for``, ``opcat_counts``);
- ``pages``: pages' Sources, Reviewed and Keywords, the translation
  review list;
- ``glue``: what Pelican's signals call."""

from __future__ import annotations

from sitekit.core.errors import ContentError
from sitekit.core.site import site_settings

from .context import context_for, opcat_counts
from .crosscheck import DataWarning
from .pages import needs_translation_review, page_sources, prepare_page
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
    "context_for",
    "load_all",
    "needs_translation_review",
    "opcat_counts",
    "page_sources",
    "prepare_page",
    "read_all",
    "validate_all",
]


def check(settings) -> list[ContentError]:
    """For `invoke check` (the CONTENT_VALIDATORS setting): every problem in
    the data files (``DataWarning`` for those that do not stop a build).
    Pages' front matter and text are checked by sitekit.core.sources."""
    site = site_settings(settings)
    return validate_all(site.data_dir, site.codes)
