"""The editors' list of news feeds, ``content/data/feeds.yml``.

Each entry is a mapping::

    - name: Kloop                      # shown as the source of each item
      url: https://kloop.kg/feed/      # http or https; RSS or Atom
      languages: [ru, ky]              # site languages whose news lists use it
      written_in: ru                   # optional; default: the first of languages
      keywords: [Кыргыз]               # optional: keep only items that mention one

``validate_feeds(path, languages)`` returns every mistake as a ContentError
(file, line, entry, field, what would be right) without building anything;
``load_feeds`` raises the first one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from sitekit.core.errors import ContentError
from sitekit.core.site import SiteSettings
from sitekit.core.yamlfile import read_yaml

FIELDS = {"name", "url", "languages", "written_in", "keywords"}
_LANG_RE = re.compile(r"^[a-z]{2,3}$")


@dataclass(frozen=True)
class Feed:
    name: str
    url: str
    languages: tuple[str, ...]
    written_in: str
    keywords: tuple[str, ...] = field(default_factory=tuple)


def validate_feeds(path, languages: list[str] | None = None) -> list[ContentError]:
    """Every mistake in a feeds file. ``languages``: the site's language codes
    (when given, each feed's languages must be among them)."""
    errors, _ = _check(Path(path), languages)
    return errors


def load_feeds(path, languages: list[str] | None = None) -> list[Feed]:
    """The feeds of a feeds file; raises the first ContentError. A missing
    file means no feeds."""
    path = Path(path)
    if not path.exists():
        return []
    errors, feeds = _check(path, languages)
    if errors:
        raise errors[0]
    return feeds


def _check(path: Path, languages):
    if not path.exists():
        return [
            ContentError(
                path,
                "file",
                "missing; create it with a list of feeds (see docs/news.md), or an empty list: []",
            )
        ], []
    try:
        data = read_yaml(path)
    except ContentError as exc:
        return [exc], []
    if data is None:
        return [], []
    if not isinstance(data, list):
        return [
            ContentError(
                path,
                "feeds",
                "must be a list of feeds, each starting with '- name: ...'",
                line=getattr(data, "line", None),
            )
        ], []
    errors: list[ContentError] = []
    feeds: list[Feed] = []
    seen_names: dict[str, int] = {}
    seen_urls: dict[str, int] = {}
    for index, entry in enumerate(data, start=1):
        line = data.item_lines[index - 1]
        if not isinstance(entry, dict):
            errors.append(
                ContentError(
                    path,
                    "feed",
                    "each feed is a mapping with name, url and languages",
                    line=line,
                    entry=f"#{index}",
                )
            )
            continue
        lines = entry.key_lines
        label = str(entry.get("name") or f"#{index}")

        def err(fld, message, lines=lines, line=line, label=label):
            errors.append(ContentError(path, fld, message, line=lines.get(fld, line), entry=label))

        for unknown in sorted(set(map(str, entry)) - FIELDS):
            err(unknown, f"unknown field; the fields are {', '.join(sorted(FIELDS))}")
        name = entry.get("name")
        if not isinstance(name, str) or not name.strip():
            err("name", "required: the outlet's name as readers should see it, e.g. 'Kloop'")
            name = None
        elif _seen_before(seen_names, name, line):
            err("name", f"already used by the feed on line {seen_names[name]}; give each feed its own name")
        url = entry.get("url")
        if not isinstance(url, str) or not url.strip():
            err("url", "required: the feed's address, e.g. https://kloop.kg/feed/")
            url = None
        else:
            url = url.strip()
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.netloc:
                err("url", f"'{url}' is not an http:// or https:// address")
                url = None
            elif _seen_before(seen_urls, url, line):
                err("url", f"the same feed is already listed on line {seen_urls[url]}")
        langs = entry.get("languages")
        if isinstance(langs, str):
            langs = [langs]
        if (
            not isinstance(langs, list)
            or not langs
            or not all(isinstance(x, str) and _LANG_RE.match(x) for x in langs)
        ):
            err("languages", "required: a list of language codes, e.g. [ru, ky]")
            langs = None
        elif languages is not None and set(langs) - set(languages):
            bad = ", ".join(sorted(set(langs) - set(languages)))
            err("languages", f"'{bad}' is not a language of this site; use {', '.join(languages)}")
            langs = None
        written_in = entry.get("written_in", langs[0] if langs else None)
        if not isinstance(written_in, str) or not _LANG_RE.match(written_in):
            if langs:
                err("written_in", "the language code the feed is written in, e.g. ru")
            written_in = None
        keywords = entry.get("keywords") or []
        if isinstance(keywords, str):
            keywords = [k.strip() for k in keywords.split(",")]
        if not isinstance(keywords, list) or not all(isinstance(k, str) and k.strip() for k in keywords):
            err("keywords", "a list of words, e.g. [Kyrgyzstan, Central Asia]")
            keywords = None
        if name and url and langs and written_in and keywords is not None:
            feeds.append(
                Feed(name.strip(), url, tuple(langs), written_in, tuple(k.strip() for k in keywords))
            )
    return errors, feeds


def check(settings) -> list[ContentError]:
    """For `invoke check` (CONTENT_VALIDATORS): the build's own validation."""
    from .settings import news_settings  # here: feeds.py is imported by settings' users

    site = SiteSettings.from_pelican(settings)
    return validate_feeds(news_settings(settings).feeds_path, list(site.codes))


def _seen_before(seen: dict, value, line: int) -> bool:
    """True if ``value`` was seen already; else remember its line."""
    if value in seen:
        return True
    seen[value] = line
    return False
