"""The site's settings, read once into typed objects, and the context of
one build.

``SiteSettings.from_pelican(settings)`` is the one place where the kit's
own settings are read from Pelican's settings dict and given their
defaults; languages, the main language and the time zone come from here
and nowhere else. The build driver makes one ``BuildContext`` per build and
puts it into every language run's settings (key ``SITEKIT``), so plugins
share whole-site work (reading events, data files, front matter) through
``BuildContext.once`` instead of caches of their own."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

# The kit's settings and their defaults; pelicanconf.py overrides them.
DEFAULTS = {
    "TIMEZONE": "Asia/Bishkek",
    "SITEDATA_DIR": "data",
    "REVIEW_MAX_AGE_DAYS": 365,
    "TRANSLATION_STATUS_PAGE": True,
    "SITE_ABSOLUTE_URL": None,
    "EVENTS_NOW": None,
    "NEWS_NOW": None,
}


@dataclass(frozen=True)
class Language:
    code: str
    name: str


@dataclass(frozen=True)
class SiteSettings:
    """Whole-site settings: the same for every language's run."""

    languages: tuple[Language, ...]
    main_lang: str
    timezone: str
    content: Path
    data_dir: Path
    site_root: str  # '' in development, 'https://example.org/prefix' published
    absolute_root: str  # always absolute: sitemap, feeds, calendars, share links
    review_max_age_days: int
    translation_status_page: bool
    sitename: str
    sitenames: dict = field(default_factory=dict)
    events_now: object = None  # a fixed "now" for tests
    news_now: object = None

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(lang.code for lang in self.languages)

    @classmethod
    def from_pelican(cls, settings: dict) -> SiteSettings:
        get = lambda name: settings.get(name, DEFAULTS.get(name))  # noqa: E731
        languages = tuple(Language(item["code"], item["name"]) for item in settings["LANGUAGES"])
        main = settings.get("MAIN_LANG") or languages[0].code
        content = Path(settings["PATH"])
        site_root = (settings.get("SITE_ROOT") if "SITE_ROOT" in settings else settings["SITEURL"]) or ""
        absolute = get("SITE_ABSOLUTE_URL") or site_root
        return cls(
            languages=languages,
            main_lang=main,
            timezone=get("TIMEZONE"),
            content=content,
            data_dir=content / get("SITEDATA_DIR"),
            site_root=site_root.rstrip("/"),
            absolute_root=absolute.rstrip("/"),
            review_max_age_days=int(get("REVIEW_MAX_AGE_DAYS")),
            translation_status_page=bool(get("TRANSLATION_STATUS_PAGE")),
            sitename=settings.get("SITENAME", ""),
            sitenames=dict(settings.get("SITENAMES") or {}),
            events_now=get("EVENTS_NOW"),
            news_now=get("NEWS_NOW"),
        )

    def prefix(self, lang: str) -> str:
        """Path segment of a language's subsite: '' for the main language."""
        return "" if lang == self.main_lang else lang

    def language_root(self, lang: str, *, absolute: bool = False) -> str:
        """URL of a language's home without the trailing slash ('' or '/ru'
        in development, 'https://example.org/ru' when published)."""
        root = self.absolute_root if absolute else self.site_root
        prefix = self.prefix(lang)
        return f"{root}/{prefix}" if prefix else root


@dataclass
class BuildContext:
    """What one build shares between its language runs."""

    site: SiteSettings
    translation_index: dict = field(default_factory=dict)
    build_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    _results: dict = field(default_factory=dict, repr=False)
    # Re-entrant: one computation may ask for another (news items need the
    # news settings; the status rows need the sources).
    _lock: threading.RLock = field(default_factory=threading.RLock, repr=False)

    # Pelican's content cache pickles each page with its settings, and so
    # this context: keep only what identifies it, not the shared results.
    def __getstate__(self):
        return {"site": self.site, "build_id": self.build_id}

    def __setstate__(self, state):
        self.__init__(state["site"], build_id=state["build_id"])

    def once(self, name: str, compute: Callable):
        """``compute()`` the first time ``name`` is asked for in this build;
        the same result for every language run after that."""
        with self._lock:
            if name not in self._results:
                self._results[name] = compute()
            return self._results[name]

    def replace(self, name: str, value) -> None:
        """Put a new result in place of ``name``'s (the dev server's
        partial rebuild, after one source file changed)."""
        with self._lock:
            self._results[name] = value

    def forget(self, name: str) -> None:
        """``name`` is computed again the next time it is asked for."""
        with self._lock:
            self._results.pop(name, None)


def build_context(settings: dict) -> BuildContext:
    """The build's context from a language run's settings. A Pelican run
    started without the build driver (a plugin's unit test) gets a context
    of its own, made from its settings, and kept in them."""
    ctx = settings.get("SITEKIT")
    if ctx is None:
        ctx = BuildContext(SiteSettings.from_pelican(settings))
        settings["SITEKIT"] = ctx
    return ctx


def site_settings(settings: dict) -> SiteSettings:
    return build_context(settings).site


def run_language(settings: dict) -> str:
    """The language of this Pelican run."""
    return settings["DEFAULT_LANG"]
