"""Pages and posts: their Sources, Reviewed and Keywords parsed for the
templates, the rule that contact details are data (never page text), and
the list of pages waiting for a native speaker's review.

The front-matter fields themselves are validated by
``sitekit.core.rules`` (the build runs it before Pelican reads anything);
``prepare_page`` only parses them, and still raises a ContentError on a bad
value as a safety net."""

from __future__ import annotations

from pathlib import Path

from sitekit.core import frontmatter, rules, values
from sitekit.core.errors import ContentError

_FIELDS = rules.fields("pages")
# A phone number (9 or more digits and separators) or an e-mail address.


def _lines(value) -> list[str]:
    items = value if isinstance(value, list) else [value]
    return [part.strip() for item in items for part in str(item).splitlines() if part.strip()]


def _parse(path, name: str, value):
    spec = _FIELDS[name]
    try:
        return spec.parse(value)
    except ValueError as exc:
        raise ContentError(path, name.capitalize(), f"{exc} ({spec.help})") from None


def prepare_page(content) -> None:
    """``content.source_list`` (Sources), ``content.reviewed_date``
    (Reviewed) and ``content.keyword_list`` (Keywords) of a page or post."""
    path = getattr(content, "source_path", "?")
    meta = content.metadata
    content.source_list = [_parse(path, "sources", line) for line in _lines(meta.get("sources", []))]
    if "reviewed" in meta:
        content.reviewed_date = _parse(path, "reviewed", str(meta["reviewed"]))
    keywords = meta.get("keywords", "")
    if isinstance(keywords, list):
        keywords = ",".join(keywords)
    content.keyword_list = [k.strip() for k in str(keywords).split(",") if k.strip()]


def page_sources(path) -> list[values.Source]:
    """A page file's Sources, parsed (for tests and tools)."""
    return rules.parsed("pages", frontmatter.read(path), "sources", [])


def needs_translation_review(content_dir) -> list[Path]:
    """Pages and posts whose front matter says ``Translation_review: needed``."""
    out = []
    for path in sorted(Path(content_dir).glob("*/*/*.md")):
        value = frontmatter.read(path).text("translation_review")
        if value.strip().lower() == "needed":
            out.append(path)
    return out
