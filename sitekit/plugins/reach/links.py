"""Share links, Open Graph values and robots.txt: plain functions.

Share links are ordinary ``<a href>`` to the messengers' own share
addresses. Nothing is loaded until the reader taps one, and they carry the
page's address and title only."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from sitekit.build import absolute_root
from sitekit.plugins.multilang import multilang

# og:locale wants language_TERRITORY. Facebook's list has these three; the
# site writes British English. REACH_OG_LOCALES in the settings overrides.
OG_LOCALES = {"en": "en_GB", "ru": "ru_RU", "ky": "ky_KG"}


@dataclass(frozen=True)
class ShareLink:
    name: str  # the service, never translated (Telegram, WhatsApp); "email" for e-mail
    href: str


def _q(text: str) -> str:
    return quote(text, safe="")


def share_links(url: str, title: str) -> list[ShareLink]:
    """Telegram, WhatsApp and e-mail links that share ``url`` with ``title``."""
    address, text = _q(url), _q(" ".join(str(title).split()))
    return [
        ShareLink("Telegram", f"https://t.me/share/url?url={address}&text={text}"),
        ShareLink("WhatsApp", f"https://wa.me/?text={text}%20{address}"),
        ShareLink("email", f"mailto:?subject={text}&body={address}"),
    ]


def absolute(settings: dict, url: str) -> str:
    """A root-relative URL ('/ru/rights/', as development links are) made
    absolute with the site's absolute address; absolute ones are kept."""
    if urlsplit(url).scheme:
        return url
    root = absolute_root(settings)
    path = urlsplit(root).path
    if path and url.startswith(path + "/"):
        url = url[len(path) :]
    return root + "/" + url.lstrip("/")


def og_locale(settings: dict, lang: str) -> str:
    locales = {**OG_LOCALES, **(settings.get("REACH_OG_LOCALES") or {})}
    return locales.get(lang, lang)


def robots_txt(settings: dict, status_url: str | None = None) -> str:
    """robots.txt for the site's root: everything may be crawled except the
    editors' status pages, when the build writes them (development); the
    sitemap by its absolute address."""
    root = absolute_root(settings)
    base_path = urlsplit(root).path.rstrip("/")
    main = settings["MAIN_LANG"]
    lines = ["User-agent: *"]
    disallow = []
    if status_url and settings.get("TRANSLATION_STATUS_PAGE"):
        for lang in multilang.language_codes(settings):
            prefix = multilang.language_prefix(lang, main)
            disallow.append(f"{base_path}/{prefix + '/' if prefix else ''}{status_url}")
    lines += [f"Disallow: {path}" for path in disallow] or ["Disallow:"]
    lines += ["", f"Sitemap: {root}/sitemap.xml"]
    return "\n".join(lines) + "\n"
