"""Production settings: absolute URLs from SITEURL.

SITEURL may carry a path (https://example.org/prevention) when the site is
served from a sub-path. Set it here or in the SITEURL environment variable."""

import os

from sitekit.core.settings import settings_module

# Everything of pelicanconf.py beside this file, then the overrides below.
_base = settings_module(os.path.join(os.path.dirname(os.path.abspath(__file__)), "pelicanconf.py"))
globals().update(_base)

SITEURL = os.environ.get("SITEURL", "https://notorture.example.org").rstrip("/")
SITE_ABSOLUTE_URL = None  # absolute already: sitemap and feeds use SITEURL
LOAD_CONTENT_CACHE = False
TRANSLATION_STATUS_PAGE = False  # an editors' tool, not for the public

# Fetch news feeds before building (plugins/news): on only when asked for,
# e.g. NEWS_FETCH_ON_PUBLISH=1 invoke publish, or in a scheduled job.
NEWS_FETCH_ON_PUBLISH = os.environ.get("NEWS_FETCH_ON_PUBLISH", "").lower() in ("1", "true", "yes")
# After the search index: minify HTML and CSS, write .gz and .br copies.
POST_BUILD_STEPS = _base["POST_BUILD_STEPS"] + ["sitekit.publish:publish_site"]
