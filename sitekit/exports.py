"""What plugins offer the tools around the build (`invoke check`,
`invoke publish`): a plugin module may define

- ``declared_paths(settings) -> {lang: {path, ...}}``: the addresses its
  generators write below each language's root (sitekit.core.urls);
- ``samples(settings) -> [(path, row or None, what)]``: example content it
  holds, which the public build refuses;
- ``unconfirmed(settings) -> [str]``: details nobody has yet confirmed
  (contacts not checked by phone), for the readiness report.

Only the build driver's tools import plugins; this is the one place."""

from __future__ import annotations

import importlib
from collections.abc import Callable


def plugin_exports(settings: dict, name: str) -> list[Callable]:
    found = []
    for plugin in settings.get("PLUGINS") or ():
        module = importlib.import_module(plugin) if isinstance(plugin, str) else plugin
        function = getattr(module, name, None)
        if callable(function):
            found.append(function)
    return found
