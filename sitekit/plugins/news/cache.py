"""The news cache on disk: what fetching wrote and rendering reads.

A JSON file (its path is the NEWS_CACHE_PATH setting)::

    {"version": 1,
     "feeds": {"<feed url>": {"name": ..., "etag": ..., "last_modified": ...,
                              "fetched": iso, "checked": iso, "error": str|null,
                              "items": [{"title", "link", "summary",
                                         "published": iso|null, "seen": iso,
                                         "id"}]}}}

Written atomically (a temporary file renamed over the old one), so a build
never reads half a cache.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import tempfile
from pathlib import Path

log = logging.getLogger(__name__)
if hasattr(log, "disable_filter"):
    # Pelican's logger class drops a message it has logged before in this
    # process; a feed that fails again must be reported again.
    log.disable_filter()

VERSION = 1


def empty_cache() -> dict:
    return {"version": VERSION, "feeds": {}}


def load_cache(path, *, warn: bool = True) -> dict:
    """The cache, or an empty one when the file is missing or unreadable
    (with a warning: the build goes on without news rather than failing)."""
    path = Path(path)
    if not path.exists():
        return empty_cache()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        if warn:
            log.warning(
                "news: cache %s is unreadable (%s); showing no news until `invoke news` writes a new one",
                path,
                exc,
            )
        return empty_cache()
    if not isinstance(data, dict) or not isinstance(data.get("feeds"), dict):
        if warn:
            log.warning("news: cache %s has no 'feeds' mapping; ignored", path)
        return empty_cache()
    return data


def save_cache(path, data: dict) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False, indent=1, sort_keys=False)
            fh.write("\n")
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
