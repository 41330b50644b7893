"""sitemap.xml for all languages, with hreflang alternates.

Derived from the written files alone: a page's translations sit at the same
path below each language's root (see plugins/multilang)."""

from __future__ import annotations

import os
from pathlib import Path
from xml.sax.saxutils import escape

from sitekit.core import urls
from sitekit.core.site import SiteSettings

# The 404 page, and addresses only for editors (urls.PRIVATE), are not pages
# for the public; nor are theme files.
_SKIP = {urls.save_as("not_found")} | {urls.save_as(kind) for kind in urls.PRIVATE}
_SKIP_DIRS = {"theme"}


def _address(rel: str) -> str:
    """'posts/index.html' -> 'posts/'; 'index.html' -> ''."""
    return rel[: -len("index.html")] if rel == "index.html" or rel.endswith("/index.html") else rel


def language_pages(output: Path, prefix: str, other_prefixes: set[str]) -> set[str]:
    """HTML files of one language, as paths relative to its root.

    os.walk, with the other languages' folders (below the main language's
    root) and theme files never entered: the sitemap is written after the
    last language, where every tenth of a second is the build's."""
    root = str(output / prefix if prefix else output)
    pages = set()
    for folder, dirs, files in os.walk(root):
        rel_folder = os.path.relpath(folder, root).replace(os.sep, "/")
        if rel_folder == ".":
            dirs[:] = [d for d in dirs if d not in _SKIP_DIRS and not (not prefix and d in other_prefixes)]
            rel_folder = ""
        else:
            rel_folder += "/"
        for name in files:
            if name.endswith(".html") and rel_folder + name not in _SKIP:
                pages.add(rel_folder + name)
    return pages


def write_sitemap(output: Path, settings: dict) -> Path:
    site = SiteSettings.from_pelican(settings)
    main, langs = site.main_lang, list(site.codes)
    prefixes = {lang: site.prefix(lang) for lang in langs}
    pages = {
        lang: language_pages(output, prefixes[lang], {p for p in prefixes.values() if p}) for lang in langs
    }

    def url(lang, rel):
        return f"{site.language_root(lang, absolute=True)}/{_address(rel)}"

    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:xhtml="http://www.w3.org/1999/xhtml">',
    ]
    for lang in langs:
        for rel in sorted(pages[lang]):
            lines.append(f"  <url><loc>{escape(url(lang, rel))}</loc>")
            for other in langs:
                if rel in pages[other]:
                    lines.append(
                        f'    <xhtml:link rel="alternate" hreflang="{other}" '
                        f'href="{escape(url(other, rel))}"/>'
                    )
            if rel in pages[main]:
                lines.append(
                    f'    <xhtml:link rel="alternate" hreflang="x-default" href="{escape(url(main, rel))}"/>'
                )
            lines.append("  </url>")
    lines.append("</urlset>")
    path = output / "sitemap.xml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
