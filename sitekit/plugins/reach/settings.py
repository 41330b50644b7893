"""The reach plugin's settings: every REACH_* setting with its default, in
one place (the fields below), read into a typed object. pelicanconf.py
sets only what a site changes: REACH_RIGHTS_PAGE = "rights" is
``rights_page``."""

from __future__ import annotations

from dataclasses import dataclass, field, fields


@dataclass(frozen=True)
class ReachSettings:
    # The page whose pocket card is printed (<slug>/card/), by its file name.
    rights_page: str = "rights"
    # Numbers on the card's cover, from the data files (DANGER, then HOTLINE).
    card_numbers: int = 4
    # og:locale wants language_TERRITORY; these are on Facebook's list and
    # the site writes British English. A site's setting adds or replaces.
    og_locales: dict = field(default_factory=lambda: {"en": "en_GB", "ru": "ru_RU", "ky": "ky_KG"})
    # Threads that draw the missing share images while the pages are written.
    draw_threads: int = 4


def setting_name(name: str) -> str:
    return "REACH_" + name.upper()


def reach_settings(settings: dict) -> ReachSettings:
    defaults = ReachSettings()
    given = {
        f.name: settings[setting_name(f.name)]
        for f in fields(ReachSettings)
        if setting_name(f.name) in settings
    }
    if "og_locales" in given:
        given["og_locales"] = {**defaults.og_locales, **given["og_locales"]}
    return ReachSettings(**{**defaults.__dict__, **given})
