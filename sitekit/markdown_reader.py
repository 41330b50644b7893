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
