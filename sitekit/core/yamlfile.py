"""The one YAML reader for data files: safe, with the line of every mapping
and key, so every error names file, line and field.

Dates stay text (no implicit timestamps), so a wrong date gets a plain
message instead of a YAML traceback; a key written twice in one mapping is
an error (YAML would silently keep the last); a file that is not UTF-8 is an
error that says so."""

from __future__ import annotations

from pathlib import Path

import yaml

from .errors import ContentError
from .files import read_text


class LineMap(dict):
    """A YAML mapping that remembers its own line and the line of each key."""

    line: int | None = None
    key_lines: dict

    def line_of(self, key) -> int | None:
        return self.key_lines.get(key, self.line)


class LineList(list):
    """A YAML sequence that remembers its line and the line of each item."""

    line: int | None = None
    item_lines: list


# libyaml's parser when PyYAML has it (about ten times faster on the data
# files); the constructors below are Python either way.
class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    pass


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class DuplicateKey(yaml.MarkedYAMLError):
    pass


def _construct_map(loader, node):
    data = LineMap()
    data.line = node.start_mark.line + 1
    data.key_lines = {}
    yield data
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in data.key_lines:
            raise DuplicateKey(
                problem=f"the key '{key}' is written twice (also on line {data.key_lines[key]}); keep one",
                problem_mark=key_node.start_mark,
            )
        data.key_lines[key] = key_node.start_mark.line + 1
    data.update(loader.construct_mapping(node))


def _construct_seq(loader, node):
    data = LineList()
    data.line = node.start_mark.line + 1
    data.item_lines = [child.start_mark.line + 1 for child in node.value]
    yield data
    data.extend(loader.construct_sequence(node))


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)


def read_yaml(path: str | Path):
    """The file's data (LineMap, LineList, text, numbers, booleans, None)."""
    try:
        text = read_text(path)
    except FileNotFoundError:
        raise ContentError(path, "file", "not found") from None
    try:
        return yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        hint = "" if isinstance(exc, DuplicateKey) else "; check indentation, colons and quotes"
        raise ContentError(
            path,
            "yaml",
            f"{exc.problem or exc}{hint}",
            line=mark.line + 1 if mark else None,
        ) from None
    except yaml.YAMLError as exc:
        raise ContentError(path, "yaml", f"{exc}; check indentation, colons and quotes") from None
