"""The dev server's site, kept in memory between rebuilds, so that saving
one page or post rebuilds only the files that show it.

A full build (``LiveSite.full``) is ``build.build_site`` with the language
runs made here, one after the other, instead of in worker processes:
each ``LanguageRun`` keeps what Pelican read and computed (settings,
context, generators). A change to one Markdown file of
``content/<lang>/posts/`` or ``pages/`` that already existed is then a
partial rebuild (``LiveSite.partial``):

1. its front matter goes through the same rules as in a full build
   (``core.sources``), and the build context's record of the sources is
   updated (the translation status page is made from it);
2. the language's articles or pages generator makes its context again,
   with every other file's content object as it was (nothing else is read);
3. the files that can show the item are written, through a writer that
   skips every other name: the item's own page, every page of that
   language (the home page lists the latest posts), the direct templates
   (posts listing, search, 404), the feed, and the translation status page
   of every language;
4. each written file that differs from the one in ``output/`` replaces it
   (``os.replace``, with SIGINT and SIGTERM held back meanwhile), under the
   output lock.

Anything else is a full build: a file added, removed or renamed, events,
schedules, data files, theme files, catalogs; a change to a page or post
that moves it (address, status, template), that changes what every page
shows (the menu: a page's title, menu label or order, the legal-help
page), or that changes its static links; a plugin generator not known to
ignore pages and posts (``independent_of_content``) or that shows the
changed item in a way that changed (``unaffected_by(old, new)``: reach's
share image of a page, the rights card); a post-build step
that must see every change (publishing's minifying does: only the search
index says ``waits_for_full_build``); and the first rebuild after a failed
one. The search index is left as it was, until the next full build. The
files a partial rebuild writes are byte for byte those a full build writes
(tests/test_live.py compares whole sites)."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path

from pelican import Pelican, signals
from pelican.contents import Article, Page
from pelican.generators import (
    ArticlesGenerator,
    PagesGenerator,
    SourceFileGenerator,
    StaticGenerator,
    TemplatePagesGenerator,
)
from pelican.log import LimitFilter

from sitekit import build, outputdir
from sitekit.core import urls
from sitekit.core.sources import (
    MARKDOWN_SUFFIXES,
)
from sitekit.live_parts import (
    SelectiveWriter,
    _apply,
    _check_source,
    _failed,
    _lang_of,
    _menu,
    _read_again,
    _static_links,
)

log = logging.getLogger(__name__)

# Pelican's generators that do not show individual pages or posts; the
# kit's own say so with ``independent_of_content = True``.
_INDEPENDENT = (StaticGenerator, TemplatePagesGenerator, SourceFileGenerator)


class LanguageRun:
    """One language's Pelican run, kept after it wrote its files: what
    ``Pelican.run`` does, step by step, holding on to its generators."""

    def __init__(self, settings: dict):
        self.settings = settings
        self.pelican: Pelican | None = None
        self.context: dict = {}
        self.generators: list = []

    def run(self) -> None:
        pelican = Pelican(self.settings)
        context = pelican.settings.copy()
        context["generated_content"] = {}
        context["static_links"] = set()
        context["static_content"] = {}
        context["localsiteurl"] = pelican.settings["SITEURL"]
        generators = [
            cls(
                context=context,
                settings=pelican.settings,
                path=pelican.path,
                theme=pelican.theme,
                output_path=pelican.output_path,
            )
            for cls in pelican._get_generator_classes()
        ]
        for generator in generators:
            if hasattr(generator, "generate_context"):
                generator.generate_context()
            if hasattr(generator, "check_disabled_readers"):
                generator.check_disabled_readers()
        signals.all_generators_finalized.send(generators)
        for generator in generators:
            if hasattr(generator, "refresh_metadata_intersite_links"):
                generator.refresh_metadata_intersite_links()
        writer = pelican._get_writer()
        for generator in generators:
            if hasattr(generator, "generate_output"):
                generator.generate_output(writer)
        signals.finalized.send(pelican)
        self.pelican, self.context, self.generators = pelican, context, generators

    def generator(self, kind: type):
        return next(g for g in self.generators if isinstance(g, kind))

    def unaffected_by(self, old, new) -> bool:
        """Does every generator besides articles and pages keep what it
        made when ``old`` (a page or post of any language) becomes ``new``?
        Yes for those that show none (``independent_of_content = True``);
        those that show some say so with ``unaffected_by(old, new)``; any
        other may show it: no."""
        for generator in self.generators:
            if isinstance(generator, (ArticlesGenerator, PagesGenerator, *_INDEPENDENT)):
                continue
            if getattr(generator, "independent_of_content", False):
                continue
            check = getattr(generator, "unaffected_by", None)
            if check is None or not check(old, new):
                return False
        return True


@dataclass
class Plan:
    """A partial rebuild: one Markdown file of one language."""

    path: Path
    lang: str
    kind: str  # posts or pages
    rel: str  # relative to content/, as Pelican names it: 'en/posts/x.md'


class Fallback(Exception):
    """The change needs a full build; the message says why (debug log)."""


class LiveSite:
    """The site the dev server serves: full builds that keep each
    language's run, and partial rebuilds from them."""

    def __init__(self, settings_file: Path, output: Path, overrides: dict):
        self.settings_file = settings_file
        self.output = Path(output)
        self.overrides = overrides
        self.runs: dict[str, LanguageRun] = {}
        self.last_partial: list[str] = []  # files replaced by the last partial rebuild

    # -- full builds

    def full(self) -> build.BuildResult:
        """A full build (``build.build_site``), keeping each language's run."""
        self.runs = {}
        runs: dict[str, LanguageRun] = {}

        def runner(settings_by_lang: dict, recorder) -> None:
            for lang, settings in settings_by_lang.items():
                run = LanguageRun(settings)
                run.run()
                runs[lang] = run
                if recorder.errors:
                    return

        result = build.build_site(self.settings_file, self.output, self.overrides, runner=runner)
        self.runs = runs
        return result

    def rebuild(self, changes) -> build.BuildResult:
        """For watchfiles' ``{(change, path), ...}``: a partial rebuild when
        the change allows, else a full one. Sets ``result.partial``."""
        self.last_partial = []
        plan = self.plan(changes)
        if plan is not None:
            try:
                return self.partial(plan)
            except Fallback as why:
                log.debug("full rebuild: %s", why)
        result = self.full()
        result.partial = False
        return result

    # -- partial rebuilds

    def plan(self, changes) -> Plan | None:
        paths = {Path(path) for _change, path in changes}
        if len(paths) != 1 or not self.runs:
            return None
        (path,) = paths
        first = next(iter(self.runs.values()))
        content = Path(first.settings["PATH"])
        try:
            parts = path.relative_to(content).parts
        except ValueError:
            return None
        if (
            len(parts) != 3
            or parts[0] not in self.runs
            or parts[1] not in ("posts", "pages")
            or path.suffix.lower() not in MARKDOWN_SUFFIXES
            or not path.is_file()
        ):
            return None
        rel = "/".join(parts)
        known = self.runs[parts[0]].context.get("generated_content", {})
        if rel not in known:  # new, or not read before: the index changes
            return None
        return Plan(path, parts[0], parts[1], rel)

    def partial(self, plan: Plan) -> build.BuildResult:
        started = time.perf_counter()
        out = self.output.resolve()
        runs, self.runs = self.runs, {}  # given back only if all goes well
        try:
            with outputdir.staged(out) as staging:
                written, warnings = self._partial_into(runs, plan, staging, out)
                try:
                    replaced = _apply(staging, out, written)
                except OSError as exc:
                    # Some files may be new already: the next change is a
                    # full build (self.runs stays empty), which puts all right.
                    raise build.BuildError(
                        f"rebuild failed: could not put {exc.filename or 'a file'} in place "
                        f"({exc.strerror or exc}); the next change rebuilds the whole site"
                    ) from exc
        except outputdir.OutputBusy as exc:
            raise build.BuildError(str(exc)) from None
        self.runs = runs
        self.last_partial = replaced
        languages = sorted({_lang_of(rel, runs) for rel in written}, key=list(runs).index)
        result = build.BuildResult(out, time.perf_counter() - started, warnings, languages)
        result.partial = True
        return result

    def _partial_into(self, runs: dict, plan: Plan, staging: Path, out: Path):
        run = runs[plan.lang]
        for step in run.settings.get("POST_BUILD_STEPS") or []:
            if not getattr(build.resolve_step(step), "waits_for_full_build", False):
                raise Fallback(f"the post-build step {step} must see every change")
        LimitFilter._raised_messages.clear()
        LimitFilter._group_count.clear()
        recorder = build._Recorder()
        logging.getLogger().addHandler(recorder)
        try:
            ctx = run.settings["SITEKIT"]
            _check_source(ctx, plan)
            if recorder.errors:
                raise _failed(out, recorder.errors)
            kind = ArticlesGenerator if plan.kind == "posts" else PagesGenerator
            generator = run.generator(kind)
            old = run.context["generated_content"][plan.rel]
            menu_before = _menu(run)
            _read_again(generator, plan.rel, Article if plan.kind == "posts" else Page)
            new = run.context["generated_content"].get(plan.rel)
            if recorder.errors or new is None or new is old:
                raise _failed(out, recorder.errors or [f"{plan.rel} could not be read"])
            if hasattr(new, "refresh_metadata_intersite_links"):
                new.refresh_metadata_intersite_links()
            for field in ("save_as", "url", "status", "template"):
                if getattr(old, field, None) != getattr(new, field, None):
                    raise Fallback(f"{plan.rel}: its {field} changed")
            if _static_links(old) != _static_links(new):
                raise Fallback(f"{plan.rel}: its static links changed")
            if _menu(run) != menu_before:
                raise Fallback(f"{plan.rel}: the menu changed")
            if not all(r.unaffected_by(old, new) for r in runs.values()):
                raise Fallback(f"{plan.rel}: a generator shows what changed")
            ctx.forget("translation-status")
            written = self._write(runs, plan, staging)
        except build.BuildError:
            raise
        except Fallback:
            raise
        except Exception as exc:
            raise build.BuildError(f"build failed, {out} left as it was:{build._detail(exc)}") from exc
        finally:
            logging.getLogger().removeHandler(recorder)
        if recorder.errors:
            raise _failed(out, recorder.errors)
        return written, recorder.warnings

    def _write(self, runs: dict, plan: Plan, staging: Path) -> list[str]:
        """Render what can show the changed item; returns the files written,
        relative to the site's root."""
        run = runs[plan.lang]
        settings = run.settings
        site = settings["SITEKIT"].site
        articles = run.generator(ArticlesGenerator)
        pages = run.generator(PagesGenerator)
        selected = {run.context["generated_content"][plan.rel].save_as}
        selected |= {p.save_as for p in (*pages.pages, *pages.hidden_pages) if p.save_as}
        for template in settings["DIRECT_TEMPLATES"]:
            name = settings.get(f"{template.upper()}_SAVE_AS", f"{template}.html")
            if name:
                selected.add(name)
        if plan.kind == "posts":
            selected |= {settings.get(f) for f in ("FEED_ATOM", "FEED_RSS", "FEED_ALL_ATOM", "FEED_ALL_RSS")}
        selected.discard(None)
        written: list[str] = []
        writer = self._writer(run, staging, selected, written)
        articles.generate_output(writer)
        pages.generate_output(writer)
        if site.translation_status_page:
            from sitekit.plugins.editorial.status import TranslationStatusGenerator

            names = {urls.save_as("translation_status")}
            for other in runs.values():
                for status in other.generators:
                    if isinstance(status, TranslationStatusGenerator):
                        status.generate_output(self._writer(other, staging, names, written))
        return written

    def _writer(self, run: LanguageRun, staging: Path, selected: set[str], written: list[str]):
        prefix = run.settings["SITEKIT"].site.prefix(run.settings["DEFAULT_LANG"])
        root = staging / prefix if prefix else staging
        writer = SelectiveWriter(str(root), run.settings, selected)
        original = writer._open_w

        def open_w(filename, encoding, override=False):
            written.append(Path(filename).relative_to(staging).as_posix())
            return original(filename, encoding, override)

        writer._open_w = open_w
        return writer
