"""Every kind of address the site writes below a language's root, in one
table. Generators save their files at these addresses, templates link to
them with the ``url()`` Jinja global, the sitemap skips what is not for the
public, and `invoke check` knows from them which links exist. Each
generator also lists the concrete paths it writes (its ``declared_paths``),
made from these patterns."""

from __future__ import annotations

PATTERNS = {
    "home": "",
    "page": "{slug}/",
    "posts": "posts/",
    "post": "posts/{slug}/",
    "feed": "feeds/all.atom.xml",
    "search": "search/",
    "news": "news/",
    "events": "events/",
    "event": "events/{slug}/",
    "event_poster": "events/{slug}/poster/",
    "event_region": "events/region/{code}/",
    "event_campaign": "events/campaign/{code}/",
    "calendar": "calendar/all.ics",
    "calendar_event": "calendar/event/{slug}.ics",
    "calendar_region": "calendar/region/{code}.ics",
    "calendar_campaign": "calendar/campaign/{code}.ics",
    "translation_status": "status/translations/",
    "not_found": "404.html",
    # Plugin reach: a page's pocket card, link-preview pictures (the name
    # carries a hash of what the picture shows) and, in the main language's
    # root only, robots.txt.
    "rights_card": "{slug}/card/",
    "share_image": "share/{name}.png",
    "robots": "robots.txt",
}
# Written in every language whatever the content (Pelican's direct
# templates and the plugins' listings).
ALWAYS = ("home", "posts", "feed", "search", "news", "events", "calendar", "not_found")
# Development-only addresses: not in the sitemap, disallowed to crawlers.
PRIVATE = ("translation_status",)


def path(kind: str, **parts) -> str:
    """The address of one thing below its language's root: 'events/osh-day/'."""
    return PATTERNS[kind].format(**parts)


def save_as(kind: str, **parts) -> str:
    """The file that serves that address: 'events/osh-day/index.html'."""
    address = path(kind, **parts)
    return address + "index.html" if address.endswith("/") or not address else address


def url(site_root_of_lang: str, kind: str, **parts) -> str:
    """Absolute or root-relative URL: the language's root + the address."""
    return f"{site_root_of_lang}/{path(kind, **parts)}"
