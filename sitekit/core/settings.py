"""Reading settings files."""

from __future__ import annotations

import importlib.util
from pathlib import Path


def settings_module(path: str | Path) -> dict:
    """The upper-case names of a settings file, so that one settings file
    can start from another (publishconf.py from pelicanconf.py) without
    putting its folder on sys.path."""
    spec = importlib.util.spec_from_file_location(f"_settings_{Path(path).stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return {name: value for name, value in vars(module).items() if name.isupper()}
