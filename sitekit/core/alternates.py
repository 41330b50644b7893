"""The same page in every language: hreflang links and the language
switcher. Pure functions of the settings and the translation index, shared
by the multilang plugin (pages, posts, listings) and the plugins that write
pages of their own (events)."""

from __future__ import annotations

from dataclasses import dataclass

# Fragment that a language's home page shows a "not translated yet" notice
# for (CSS :target, so it works without JavaScript).
UNTRANSLATED_FRAGMENT = "not-translated"


@dataclass(frozen=True)
class Alternate:
    lang: str
    name: str
    url: str
    exists: bool
    current: bool


def alternates(settings, index, *, url: str, key: str | None) -> list[Alternate]:
    """The page at ``url`` (relative to its language root) in every language.

    ``key`` is the translation key of a content file (its path below the
    language folder), or None for pages that every language generates
    (listings, search, 404); ``index`` maps keys to the languages that have
    that file. A language without that file links to its home page, at the
    fragment that shows a notice."""
    current = settings["DEFAULT_LANG"]
    default = settings["MAIN_LANG"]
    site_root = settings["SITE_ROOT"]
    have = set(index.get(key, ())) if key is not None else None
    result = []
    for lang in settings["LANGUAGES"]:
        code = lang["code"]
        root = f"{site_root}/{code}" if code != default else site_root
        exists = code == current or have is None or code in have
        target = f"{root}/{url}" if exists else f"{root}/#{UNTRANSLATED_FRAGMENT}"
        result.append(Alternate(code, lang["name"], target, exists, code == current))
    return result


def x_default(alts: list[Alternate], default_lang: str) -> str:
    """x-default points at the default language's version when it exists."""
    for alt in alts:
        if alt.lang == default_lang and alt.exists:
            return alt.url
    return next(alt.url for alt in alts if alt.current)
