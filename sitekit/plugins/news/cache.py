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

Anyone can edit the file, so ``load_cache`` checks what the build relies
on: each item's dates (``published``, ``seen``) must be ISO 8601 dates that
exist, between dates.MIN_YEAR and dates.MAX_YEAR. A bad one is a warning
naming the file, the feed, the item and the field, and the date is dropped
(the item stays, as an item without that date); never a traceback.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import tempfile
from pathlib import Path

from .dates import DateError, from_iso

log = logging.getLogger(__name__)
if hasattr(log, "disable_filter"):
    # Pelican's logger class drops a message it has logged before in this
    # process; a feed that fails again must be reported again.
    log.disable_filter()

VERSION = 1
ITEM_DATE_FIELDS = ("published", "seen")


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
    for problem in check_cache(data):
        if warn:
            log.warning("news: cache %s: %s", path, problem)
    return data


def check_cache(data: dict) -> list[str]:
    """Every mistake in a loaded cache, in words (feed, item, field, what is
    wrong). Fixes ``data`` as it goes: a feed or item that is not a mapping
    and a list of items that is not a list are dropped, a bad date becomes
    null."""
    problems = []
    feeds = data["feeds"]
    for url, state in list(feeds.items()):
        if not isinstance(state, dict):
            problems.append(f"feed {url}: not a mapping; ignored")
            del feeds[url]
            continue
        feed = f"feed '{state.get('name') or url}' ({url})"
        items = state.get("items")
        if items is None:
            continue
        if not isinstance(items, list):
            problems.append(f"{feed}: field 'items' is not a list; its items are ignored")
            state["items"] = []
            continue
        kept = []
        for number, item in enumerate(items, 1):
            if not isinstance(item, dict):
                problems.append(f"{feed}, item {number}: not a mapping; ignored")
                continue
            title = str(item.get("title") or "")[:60]
            for field in ITEM_DATE_FIELDS:
                value = item.get(field)
                if value is None:
                    continue
                try:
                    from_iso(value)
                except DateError as exc:
                    problems.append(
                        f"{feed}, item {number} ('{title}'): field '{field}': {exc}; the date is ignored"
                    )
                    item[field] = None
            kept.append(item)
        state["items"] = kept
    return problems


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
