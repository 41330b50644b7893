"""The parts of a partial rebuild (sitekit.live) that work on one
language run or on files: writing only the selected files, reading one
changed file again, checking it with the build's rules, and putting the
written files in place."""

from __future__ import annotations

import contextlib
import logging
import os
import signal
from collections import defaultdict
from pathlib import Path

from pelican.generators import (
    ArticlesGenerator,
    PagesGenerator,
)
from pelican.writers import Writer

from sitekit import build
from sitekit.core import rules
from sitekit.core.frontmatter import read as read_front_matter
from sitekit.core.sources import (
    SourceFile,
    contact_errors,
    raw_html_warnings,
)

log = logging.getLogger("sitekit.live")

# What every page of a language shows of the pages (base.html: the menu,
# i.e. title, label and order of the pages that have a menu order, and the
# legal-help page found by its template): a change to any of it is a full
# build.
_MENU_FIELDS = ("title", "menu_label", "menu_order")


class SelectiveWriter(Writer):
    """Pelican's writer, writing only the names in ``selected`` (paths
    relative to the language's output folder) and skipping the rest before
    rendering them. (Pelican's own WRITE_SELECTED was removed in 4.11.)"""

    def __init__(self, output_path, settings, selected: set[str]):
        super().__init__(output_path, settings=settings)
        self.selected = selected

    def write_file(self, name, *args, **kwargs):
        if name and name in self.selected:
            return super().write_file(name, *args, **kwargs)
        return None

    def write_feed(self, elements, context, path=None, *args, **kwargs):
        if path and path in self.selected:
            return super().write_feed(elements, context, path, *args, **kwargs)
        return None


def _failed(out: Path, messages: list[str]) -> build.BuildError:
    return build.BuildError(f"build failed, {out} left as it was:\n  " + "\n  ".join(messages))


def _lang_of(rel: str, runs: dict) -> str:
    first = rel.split("/", 1)[0]
    return first if first in runs and first != _main(runs) else _main(runs)


def _main(runs: dict) -> str:
    return next(iter(runs.values())).settings["SITEKIT"].site.main_lang


def _check_source(ctx, plan) -> None:
    """The front-matter rules of a full build (``build._refuse_bad_sources``)
    for the one file; the build's record of the sources gets its new front
    matter."""
    try:
        fm = read_front_matter(plan.path)
    except Exception as exc:
        raise build.ContentErrors([exc]) from None
    key = plan.rel.split("/", 1)[1]
    src = SourceFile(plan.path, plan.lang, plan.kind, key, fm)
    errors = [*rules.check_front_matter(src.path, src.kind, src.fm), *contact_errors(src)]
    for warning in raw_html_warnings(src):
        log.warning("%s", warning)
    if errors:
        raise build.ContentErrors(errors)
    files, old_errors, old_warnings = ctx.once("sources", lambda: ([], [], []))
    files = [src if f.lang == plan.lang and f.key == key else f for f in files]
    ctx.replace("sources", (files, old_errors, old_warnings))


def _read_again(generator, rel: str, content_class) -> None:
    """The generator's ``generate_context`` again, with every content object
    as it was except ``rel``'s, which is read from its file."""
    context = generator.context
    previous = {
        path: obj
        for path, obj in context["generated_content"].items()
        if isinstance(obj, content_class) and path != rel
    }
    patched = {
        "get_cached_data": lambda f, default=None: previous.get(f, default),
        "cache_data": lambda f, data: None,
        "save_cache": lambda: None,
    }
    readers_save = generator.readers.save_cache
    for name, value in patched.items():
        setattr(generator, name, value)
    generator.readers.save_cache = lambda: None
    if isinstance(generator, ArticlesGenerator):
        generator.tags = defaultdict(list)
        generator.categories = defaultdict(list)
        generator.authors = defaultdict(list)
    try:
        generator.generate_context()
    finally:
        for name in patched:
            delattr(generator, name)
        generator.readers.save_cache = readers_save


def _static_links(obj) -> set:
    getter = getattr(obj, "get_static_links", None)
    return set(getter()) if getter else set()


def _menu(run) -> list:
    pages = run.generator(PagesGenerator)
    menu = []
    for page in (*pages.pages, *pages.hidden_pages):
        shown = getattr(page, "menu_order", None)
        fields = tuple(str(getattr(page, field, None)) for field in _MENU_FIELDS) if shown else None
        menu.append((page.url, page.template, fields))
    return menu


def _apply(staging: Path, out: Path, written: list[str]) -> list[str]:
    """Move each written file that differs from the served one into
    ``out``; returns those. SIGINT and SIGTERM wait until all are moved."""
    replaced = []
    with _signals_held():
        for rel in written:
            new = staging / rel
            old = out / rel
            try:
                if old.read_bytes() == new.read_bytes():
                    continue
            except FileNotFoundError:
                old.parent.mkdir(parents=True, exist_ok=True)
            os.replace(new, old)
            replaced.append(rel)
    return replaced


@contextlib.contextmanager
def _signals_held():
    held = {signal.SIGINT, signal.SIGTERM}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
