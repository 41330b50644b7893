"""One subsite per language, linked by shared file names.

Plain functions; ``__init__.register`` wires them to Pelican's signals.

The rule that makes everything else simple: a page's URL, relative to its
language's root, is the same in every language (the slug is the file name,
never the title).  So the Russian version of ``/rights/`` is ``/ru/rights/``
when ``content/ru/pages/rights.md`` exists, and we only need to know which
files exist to link translations, hreflang alternates and the sitemap.
"""

from __future__ import annotations

import gettext
import os
from datetime import date, datetime
from pathlib import Path, PurePosixPath

from babel.dates import format_date as babel_format_date
from babel.dates import format_datetime as babel_format_datetime
from babel.numbers import format_decimal
from jinja2 import pass_context
from markupsafe import Markup

from sitekit.core import urls
from sitekit.core.alternates import UNTRANSLATED_FRAGMENT, Alternate, alternates, x_default

__all__ = ["UNTRANSLATED_FRAGMENT", "Alternate", "alternates", "x_default"]


def language_codes(settings) -> list[str]:
    return [lang["code"] for lang in settings["LANGUAGES"]]


def language_prefix(lang: str, default_lang: str) -> str:
    """Path segment of a language's subsite: '' for the default language."""
    return "" if lang == default_lang else lang


def language_root(site_root: str, lang: str, default_lang: str) -> str:
    """URL of a language's home without the trailing slash ('' or '/ru' in
    development, 'https://example.org/ru' when published)."""
    prefix = language_prefix(lang, default_lang)
    return f"{site_root}/{prefix}" if prefix else site_root


def translation_key(relative_source_path: str) -> str | None:
    """'ru/pages/rights.md' -> 'pages/rights.md': what translations share."""
    parts = PurePosixPath(relative_source_path.replace(os.sep, "/")).parts
    if len(parts) < 2:
        return None
    return "/".join(parts[1:])


def build_translation_index(content_path: str | os.PathLike, langs: list[str]) -> dict:
    """Map each translation key to the languages that have that file.

    Reads the file tree only, so it is cheap and the same for every
    language's run."""
    index: dict[str, list[str]] = {}
    root = Path(content_path)
    for lang in langs:
        lang_dir = root / lang
        if not lang_dir.is_dir():
            continue
        for path in sorted(lang_dir.rglob("*")):
            if path.is_file():
                key = path.relative_to(lang_dir).as_posix()
                index.setdefault(key, []).append(lang)
    return index


def url_for_output_file(output_file: str) -> str:
    """'posts/index.html' -> 'posts/'; 'index.html' -> ''; '404.html' -> '404.html'."""
    output_file = output_file.replace(os.sep, "/")
    if output_file == "index.html":
        return ""
    if output_file.endswith("/index.html"):
        return output_file[: -len("index.html")]
    return output_file


def alternates_for(settings, index, obj) -> list[Alternate]:
    """Alternates for a Pelican content object or an output file name."""
    if isinstance(obj, str):
        return alternates(settings, index, url=url_for_output_file(obj), key=None)
    key = translation_key(obj.relative_source_path)
    return alternates(settings, index, url=obj.url, key=key)


def _as_datetime(value):
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value


def format_date(value, fmt: str = "long", *, locale: str) -> str:
    """A date in the reader's language with Babel (no OS locales):
    ru '26 июня 2025 г.', ky '2025-ж., 26-июнь'."""
    value = _as_datetime(value)
    if isinstance(value, datetime):
        value = value.date()
    return babel_format_date(value, fmt, locale=locale)


def format_datetime(value, fmt: str = "long", *, locale: str, tzinfo=None) -> str:
    value = _as_datetime(value)
    if isinstance(value, date) and not isinstance(value, datetime):
        return format_date(value, fmt, locale=locale)
    return babel_format_datetime(value, fmt, tzinfo=tzinfo or value.tzinfo, locale=locale)


def format_number(value, *, locale: str) -> str:
    return format_decimal(value, locale=locale)


def load_translations(localedir: str | os.PathLike, lang: str, source_lang: str):
    """gettext catalog for ``lang``; the templates' own strings are English.

    A missing compiled catalog is an error, not a silent fallback to English:
    the build compiles catalogs first, so a missing one means a missing .po."""
    if lang == source_lang:
        return gettext.NullTranslations()
    # Read the file each time: gettext.translation() keeps every catalog it
    # has read for the life of the process, so the dev server went on
    # showing the strings of its first build after a .po was edited.
    mofile = gettext.find("messages", str(localedir), [lang])
    if mofile is None:
        raise FileNotFoundError(
            f"{localedir}/{lang}/LC_MESSAGES/messages.mo: no compiled catalog for "
            f"'{lang}'. Add theme/translations/{lang}/LC_MESSAGES/messages.po "
            "(invoke catalogs compiles it)."
        )
    with open(mofile, "rb") as fh:
        return gettext.GNUTranslations(fh)


def install_language(env, settings, index) -> None:
    """Give a generator's Jinja environment the language of its subsite."""
    lang = settings["DEFAULT_LANG"]
    env.install_gettext_translations(
        load_translations(settings["THEME_TRANSLATIONS"], lang, settings["MAIN_LANG"]),
        newstyle=True,
    )
    env.globals["gettext"] = remembered_gettext(env.globals["gettext"])
    # Jinja's `_` looks `gettext` up in the context on every call (one more
    # call through the context each time, 70,000 times at 3 x 1,000 posts):
    # this theme never overrides `gettext`, so `_` is the same function.
    env.globals["_"] = env.globals["gettext"]
    env.filters["format_date"] = remembered_dates(lambda v, fmt="long": format_date(v, fmt, locale=lang))
    env.filters["format_datetime"] = lambda v, fmt="long": format_datetime(v, fmt, locale=lang)
    env.filters["format_number"] = lambda v: format_number(v, locale=lang)
    env.globals["alternates"] = lambda obj: alternates_for(settings, index, obj)
    env.globals["x_default"] = lambda alts: x_default(alts, settings["MAIN_LANG"])
    env.globals["language_root"] = lambda code: language_root(
        settings["SITE_ROOT"], code, settings["MAIN_LANG"]
    )
    env.globals["fixed"] = fixed_partials(env)
    # url('event', slug='osh-day') -> '/ru/events/osh-day/': the address
    # table of sitekit.core.urls below this language's root.
    env.globals["url"] = lambda kind, **parts: urls.url(settings["SITEURL"], kind, **parts)


def fixed_partials(env):
    """``fixed(name, *keys)`` for the templates: the partial rendered once
    per language run (and per identity of each key: ``pages``, for the
    menu) and the same text given to every page after that. For partials
    that use nothing of the page (the quick-exit button, the navigation
    links, the security header...): each include cost a copy of the whole
    context, on 3,000 pages. A partial that needs the page must be
    included instead (``{% include %}``). The dev server makes a new run,
    and so renders these again, for any change that alters them (a page's
    menu entry, a catalog, the settings)."""
    rendered: dict[tuple, tuple] = {}

    @pass_context
    def fixed(context, name: str, *keys) -> Markup:
        slot = (name, *map(id, keys))
        try:
            return rendered[slot][1]
        except KeyError:
            text = Markup(env.get_template(name).render(context.get_all()))
            rendered[slot] = (keys, text)  # the keys kept, so their ids stay theirs
            return text

    return fixed


def remembered_dates(format_one):
    """``format_date`` remembering each (day, format) it has written: a
    post's date appears on its page, in the listings and the feed, and
    Babel works out the pattern again each time."""
    remembered: dict = {}

    def formatting(value, fmt="long"):
        day = _as_datetime(value)
        key = (day.date() if isinstance(day, datetime) else day, fmt)
        try:
            return remembered[key]
        except KeyError:
            text = remembered[key] = format_one(value, fmt)
            return text
        except TypeError:  # not a date: Babel says what is wrong
            return format_one(value, fmt)

    return formatting


def remembered_gettext(gettext):
    """Jinja's new-style ``gettext`` (what ``_()`` calls), remembering what
    it gave for each string without variables: every page asks for the
    same twenty or so, and each answer (translate, mark safe, format) cost
    more than the rest of the call. The same text comes back; with
    variables, or where autoescaping is off, it asks every time."""
    remembered: dict[str, str] = {}

    @pass_context
    def remembering(__context, __string, **variables):
        if variables or not __context.eval_ctx.autoescape:
            return gettext(__context, __string, **variables)
        try:
            return remembered[__string]
        except KeyError:
            value = remembered[__string] = gettext(__context, __string)
            return value

    return remembering


def place_home_page(content) -> None:
    """``pages/index.md`` is the language's home page: written to index.html."""
    if content.__class__.__name__ == "Page" and content.slug == "index":
        content.override_url = ""
        content.override_save_as = "index.html"


CONTENT_LISTS = (
    "articles",
    "translations",
    "hidden_articles",
    "hidden_translations",
    "pages",
    "hidden_pages",
)


def remember_urls(generator) -> None:
    """Each post's and page's address, worked out once and kept.

    Pelican works ``url`` out from the settings on every use (a copy of the
    metadata, the source path made relative, the pattern formatted), and a
    page of this theme uses it five times or more: about 6% of a language's
    run at 1,000 posts. Once the generator has read everything, nothing
    changes an address any more; ``override_url`` is Pelican's own way of
    giving one (``get_url_setting`` returns it as it is)."""
    for name in CONTENT_LISTS:
        for content in getattr(generator, name, None) or ():
            if not hasattr(content, "override_url"):
                content.override_url = content.url


def drop_drafts(generator) -> None:
    """Drafts are never written: no page may end up under a drafts/ URL."""
    for name in ("drafts", "drafts_translations", "draft_pages", "draft_translations"):
        if isinstance(getattr(generator, name, None), list):
            setattr(generator, name, [])
