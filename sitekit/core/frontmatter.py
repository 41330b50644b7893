"""Front matter of a Markdown file as Pelican's Markdown reader sees it, with
the line of every field, for messages that name file, line and field.

``Key: value`` lines up to the first blank line; an indented line continues
the previous field, and a repeated key adds a value (both become more
values of that field); the first line that is neither ends the front matter
and starts the body. Keys are lowercase. One reader for `invoke check`, the
data plugin and the events plugin."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .files import read_text

_KEY_RE = re.compile(r"^([A-Za-z][A-Za-z0-9_-]*)\s*:(.*)$")


@dataclass
class FrontMatter:
    values: dict[str, list[str]]  # key -> its values, in order
    lines: dict[str, int]  # key -> line number (1-based) where it first appears
    value_lines: dict[str, list[int]]  # key -> the line of each of its values
    body_start: int  # index (0-based) of the body's first line
    body: str

    def text(self, key: str, default: str = "") -> str:
        return "\n".join(self.values[key]) if key in self.values else default

    def flat(self) -> dict:
        """key -> the value, or the list of values when there are several."""
        return {k: v[0] if len(v) == 1 else v for k, v in self.values.items()}


def parse(text: str) -> FrontMatter:
    values: dict[str, list[str]] = {}
    lines: dict[str, int] = {}
    value_lines: dict[str, list[int]] = {}
    source = text.splitlines()
    key = None
    for index, line in enumerate(source):
        if not line.strip():
            return FrontMatter(values, lines, value_lines, index + 1, "\n".join(source[index + 1 :]))
        if line[:1] in (" ", "\t") and key:
            values[key].append(line.strip())
            value_lines[key].append(index + 1)
            continue
        match = _KEY_RE.match(line)
        if not match:
            return FrontMatter(values, lines, value_lines, index, "\n".join(source[index:]))
        key = match.group(1).lower()
        values.setdefault(key, []).append(match.group(2).strip())
        value_lines.setdefault(key, []).append(index + 1)
        lines.setdefault(key, index + 1)
    return FrontMatter(values, lines, value_lines, len(source), "")


def read(path: str | Path) -> FrontMatter:
    return parse(read_text(path))
