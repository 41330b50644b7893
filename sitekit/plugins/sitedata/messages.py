"""Pydantic's validation errors as ContentErrors that an editor can act on:
``file:line: [entry] field: message``, with a plain message saying what
would be right.

The place comes from pydantic's ``loc`` (a path of keys and list indexes),
walked through the YAML as read by ``read_yaml``, whose mappings remember
the line of every key: the entry is the nearest item with an ``id`` (or
``code``), or a top-level section such as ``total``; the field is what
follows it."""

from __future__ import annotations

import re

from pydantic import ValidationError

from sitekit.core.errors import ContentError
from sitekit.core.yamlfile import LineMap

# Extra context some of our own errors carry: the key, language or field
# they are about, one level below where pydantic reports them.
_DEEPER = ("key", "field", "lang")


def _plain(error: dict) -> str:
    """Pydantic's terse message in plain words, for the common cases."""
    kind, ctx, value = error["type"], error.get("ctx") or {}, error.get("input")
    if kind == "missing":
        return "missing; add it"
    if kind == "string_type":
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return f"must be text; put it in quotes (YAML read {value!r} as a number)"
        return "must be text"
    if kind in ("string_too_short", "too_short"):
        return "must not be empty" if kind == "string_too_short" else "must list at least one"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"must be a whole number, not {value!r}"
    if kind == "greater_than_equal":
        return f"must be {ctx.get('ge')} or more"
    if kind in ("bool_type", "bool_parsing"):
        return f"must be true or false, not {value!r}"
    if kind == "literal_error":
        allowed = re.sub(r"'", "", str(ctx.get("expected", "")))
        return f"{value!r} is not one of the allowed values; use {allowed}"
    if kind == "list_type":
        return "must be a list: one '- ...' line per item, or [a, b]"
    if kind in ("dict_type", "model_type", "model_attributes_type", "dataclass_type"):
        return "must be a group of 'key: value' lines"
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    return error["msg"]


def _what(raw) -> str:
    if raw is None:
        return "empty"
    if isinstance(raw, list):
        return "a list ('- ...' lines)"
    if isinstance(raw, dict):
        return "a mapping ('key: value' lines)"
    return f"a single value ({raw!r})"


def _label(item) -> str | None:
    if isinstance(item, dict):
        label = item.get("id", item.get("code"))
        if isinstance(label, (str, int)) and str(label).strip():
            return str(label)
    return None


def locate(raw, loc: tuple) -> tuple[int | None, str | None, str]:
    """(line, entry, field) of a pydantic ``loc`` in the YAML data."""
    node, line = raw, getattr(raw, "line", None)
    entry: str | None = None
    field: list[str] = []
    for depth, key in enumerate(loc):
        if isinstance(key, int) and isinstance(node, list):
            item = node[key] if 0 <= key < len(node) else None
            label = _label(item)
            if label is not None:
                entry, field = label, []
            elif isinstance(item, dict):
                # An entry without an id of its own, such as a channel.
                where = f"{field[-1].rstrip('s') if field else 'item'} {key + 1}"
                entry, field = (f"{entry}, {where}" if entry else where), []
            line = getattr(item, "line", line)
            node = item
            continue
        if isinstance(node, LineMap):
            line = node.line_of(key)
        if depth == 0 and isinstance(node, dict) and isinstance(node.get(key), dict) and len(loc) > 1:
            entry = str(key)  # a top-level section, such as `total:`
        else:
            field.append(str(key))
        node = node.get(key) if isinstance(node, dict) else None
    return line, entry, ".".join(field)


def content_errors(exc: ValidationError, path, raw, shape: str) -> list[ContentError]:
    """Every error of one file, in file order."""
    out = []
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        ctx = error.get("ctx") or {}
        deeper = next((ctx[name] for name in _DEEPER if name in ctx), None)
        if deeper is not None:
            loc = (*loc, deeper)
        if not error["loc"] and error["type"] != "unknown_key":
            out.append(ContentError(path, "file", f"must be {shape}; it is {_what(raw)}", line=1))
            continue
        line, entry, field = locate(raw, loc)
        out.append(ContentError(path, field or "file", _plain(error), line=line, entry=entry))
    return sorted(out, key=lambda e: e.line or 0)
