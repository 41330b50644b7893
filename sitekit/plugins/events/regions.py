"""Regions for events: content/data/regions.yml, loaded and validated by
the data plugin (sitedata), the same code that checks it for the
legal-help page."""

from __future__ import annotations

from pathlib import Path

from sitekit.plugins.sitedata.sitedata import load_regions as load_region_entries


def load_regions(content_dir) -> dict[str, dict[str, str]]:
    """{code: {lang: name}} in file order; {} when there is no regions file."""
    path = Path(content_dir) / "data" / "regions.yml"
    if not path.is_file():
        return {}
    return {entry["code"]: dict(entry["name"]) for entry in load_region_entries(path)}
