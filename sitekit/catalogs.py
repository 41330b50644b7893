"""Theme string catalogs: extract from templates, update, compile.

Compiled .mo files are build products (git ignores them); the build compiles
them each time, which takes milliseconds, so they can never be stale. A .mo is
written only when its bytes change: the dev server watches the translations
folder, and a rewrite on every build made every build trigger the next."""

from __future__ import annotations

import io
import os
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

DOMAIN = "messages"
_METHOD_MAP = [("**.html", "jinja2")]
_OPTIONS = {"**.html": {"extensions": "jinja2.ext.i18n", "trimmed": "true"}}


def po_path(translations_dir: Path, lang: str) -> Path:
    return translations_dir / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def extract(templates_dir: Path, pot_path: Path) -> Catalog:
    """Collect every translatable string of the templates into a .pot file."""
    catalog = Catalog(project="torture-prevention-site", charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
        str(templates_dir), _METHOD_MAP, _OPTIONS
    ):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    pot_path.parent.mkdir(parents=True, exist_ok=True)
    with open(pot_path, "wb") as fh:
        write_po(fh, catalog, omit_header=False, sort_output=True)
    return catalog


def update(pot_path: Path, translations_dir: Path, langs: list[str]) -> None:
    """Merge new template strings into each language's .po, keeping translations."""
    with open(pot_path, "rb") as fh:
        template = read_po(fh)
    for lang in langs:
        path = po_path(translations_dir, lang)
        if path.exists():
            with open(path, "rb") as fh:
                catalog = read_po(fh, locale=lang)
        else:
            catalog = Catalog(locale=lang, charset="utf-8")
        catalog.update(template, update_header_comment=False)
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as fh:
            write_po(fh, catalog, sort_output=True)


def compile_all(translations_dir: Path) -> list[Path]:
    """Compile every .po below ``translations_dir`` into the .mo beside it.

    Returns the .mo files written: only those whose compiled bytes differ
    from the file already there."""
    written = []
    for po in sorted(translations_dir.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        with open(po, "rb") as fh:
            catalog = read_po(fh, locale=po.parent.parent.name)
        buffer = io.BytesIO()
        write_mo(buffer, catalog)
        mo = po.with_suffix(".mo")
        if mo.is_file() and mo.read_bytes() == buffer.getvalue():
            continue
        # Written aside and renamed: a build running at the same time never
        # reads half a catalog.
        partial = mo.with_name(f".{mo.stem}.partial.mo")  # ignored like any .mo
        partial.write_bytes(buffer.getvalue())
        os.replace(partial, mo)
        written.append(mo)
    return written


def untranslated(translations_dir: Path, lang: str) -> list[str]:
    """Message ids with no translation (or fuzzy) in a language's catalog."""
    with open(po_path(translations_dir, lang), "rb") as fh:
        catalog = read_po(fh, locale=lang)
    return [m.id for m in catalog if m.id and (not m.string or m.fuzzy)]
