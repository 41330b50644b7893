"""Pelican's Markdown reader, with one Markdown instance kept and reset
between files instead of a new one for each.

Building a ``markdown.Markdown`` loads and sets up every extension (extra,
codehilite, meta): about a tenth of a language's run at 1,000 posts.
Python-Markdown supports reuse through ``reset()`` (it clears the stash,
the references and every extension's state), and Pelican itself reuses the
instance that read a file's body for its formatted fields (Summary), after
taking the "meta" preprocessor out; here it is put back for the next file.

Footnotes' UNIQUE_IDS numbers documents by how many a Markdown instance
has seen, so with that option each file gets a new instance, as before.

Dates written as ``YYYY-MM-DD`` or ``YYYY-MM-DD HH:MM[:SS]`` (what the
content rules ask for) become the same ``SafeDatetime`` that Pelican's
``get_date`` makes through dateutil's parser, without it; anything else
still goes through ``get_date``."""

from __future__ import annotations

import re

from markdown import Markdown
from pelican.readers import MarkdownReader
from pelican.utils import SafeDatetime, pelican_open

_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2})(?::(\d{2}))?)?")

# Punctuation that means nothing to Markdown inside one line of text that
# starts with a letter (no emphasis, code, link, HTML, entity, escape,
# table, footnote or attribute mark among them).
_PLAIN_PUNCTUATION = frozenset(" ,.;:?!'\u2019\"\u00ab\u00bb()\u2013\u2014-/%")


def plain_paragraph(text: str) -> str | None:
    """Markdown's HTML for ``text`` when it is one line of plain words, as
    most Summary fields are (``<p>text</p>``), else None. Pelican converts
    each Summary with the whole Markdown pipeline, about 60 microseconds of
    fixed cost for one sentence, 3,000 times at 3 x 1,000 posts; the answer
    is the same (tests/test_build_parallel.py compares it with Markdown's
    on every summary of the bundled content and on random text)."""
    if not text or not text[0].isalpha() or text != text.strip():
        return None
    if all(ch.isalnum() or ch in _PLAIN_PUNCTUATION for ch in text):
        return f"<p>{text}</p>"
    return None


class ReusingMarkdownReader(MarkdownReader):
    enabled = MarkdownReader.enabled
    file_extensions = MarkdownReader.file_extensions

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._kept: Markdown | None = None
        self._meta = None  # (preprocessor, priority) of the kept instance

    def _unique_footnote_ids(self) -> bool:
        configs = self.settings["MARKDOWN"].get("extension_configs", {})
        footnotes = configs.get("markdown.extensions.footnotes") or configs.get("footnotes") or {}
        return bool(footnotes.get("UNIQUE_IDS"))

    def read(self, source_path):
        if self._unique_footnote_ids():
            return super().read(source_path)
        self._source_path = source_path
        if self._kept is None:
            self._kept = Markdown(**self.settings["MARKDOWN"])
            registry = self._kept.preprocessors
            self._meta = (registry["meta"], registry._priority[registry.get_index_for_name("meta")].priority)
        md = self._md = self._kept
        if "meta" not in md.preprocessors:
            md.preprocessors.register(self._meta[0], "meta", self._meta[1])
        md.reset()
        with pelican_open(source_path) as text:
            content = md.convert(text)
        metadata = self._parse_metadata(md.Meta) if hasattr(md, "Meta") else {}
        return content, metadata

    def _parse_metadata(self, meta):
        """Pelican's, with the formatted fields (Summary) that are plain
        words made without running Markdown (``plain_paragraph``)."""
        formatted = self.settings["FORMATTED_FIELDS"]
        plain, rest = {}, {}
        for name, value in meta.items():
            html = plain_paragraph("\n".join(value)) if name.lower() in formatted else None
            if html is None:
                rest[name] = value
            else:
                plain[name.lower()] = self.process_metadata(name.lower(), html)
        parsed = super()._parse_metadata(rest)
        # In the order of the file, as Pelican's own.
        return {name.lower(): plain.get(name.lower(), parsed.get(name.lower())) for name in meta}

    def process_metadata(self, name, value):
        if name in ("date", "modified") and isinstance(value, str):
            text = value.replace("_", " ") if name == "date" else value
            found = _ISO.fullmatch(re.sub(" +", " ", text))
            if found:
                try:
                    return SafeDatetime(*(int(part) for part in found.groups() if part is not None))
                except ValueError:
                    pass  # get_date says what is wrong, in its words
        return super().process_metadata(name, value)


def readers_setting(base: dict) -> dict:
    """READERS with this reader for Markdown's extensions (unless a
    setting turned one off)."""
    readers = dict(base.get("READERS") or {})
    for ext in MarkdownReader.file_extensions:
        if readers.get(ext, MarkdownReader) is MarkdownReader:
            readers[ext] = ReusingMarkdownReader
    return readers
