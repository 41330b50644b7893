"""Regions for events, read from content/data/regions.yml.

Kept to one function on purpose: when the general data plugin lands, this is
the only place to swap for it."""
from __future__ import annotations

from pathlib import Path

import yaml

from sitekit.errors import ContentError


def load_regions(content_dir) -> dict[str, dict[str, str]]:
    """{code: {lang: name}} in file order; {} when there is no regions file."""
    path = Path(content_dir) / "data" / "regions.yml"
    if not path.is_file():
        return {}
    try:
        entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    except yaml.YAMLError as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        raise ContentError(path, "yaml", f"not valid YAML: {exc}",
                           line=None if line is None else line + 1) from exc
    regions = {}
    for entry in entries:
        if not isinstance(entry, dict) or not entry.get("code"):
            raise ContentError(path, "code", "every region needs a code and a name per language")
        regions[str(entry["code"])] = dict(entry.get("name") or {})
    return regions
