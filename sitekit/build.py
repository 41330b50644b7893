"""Build the whole multilingual site: one Pelican run per language, built
aside and swapped in, so a failed build never replaces the last good site.

The whole-site work (front matter, translation index, and each plugin's
``prepare``: data files, events, news, the translation status) is done once,
then the language runs go in parallel processes (``sitekit.workers``,
``BUILD_JOBS`` at a time; 1 runs them here, one after the other).

``build_site`` is what ``invoke build``, ``invoke publish``, the dev server
and the tests call."""

from __future__ import annotations

import contextlib
import errno
import functools
import importlib
import logging
import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import FileSystemBytecodeCache
from pelican import Pelican
from pelican.log import LimitFilter
from pelican.settings import configure_settings, read_settings

from sitekit.core import urls
from sitekit.core.site import BuildContext, SiteSettings
from sitekit.core.sources import build_sources, check_sources_started
from sitekit.plugins.multilang import multilang

from . import catalogs, exports, markdown_reader, outputdir, sitemap, workers

ROOT = Path(__file__).resolve().parent.parent

log = logging.getLogger(__name__)


class BuildError(RuntimeError):
    """The build stopped; the previous output was left in place."""


@dataclass
class BuildResult:
    output: Path
    seconds: float
    warnings: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    # Seconds of each part: "prepare" (whole-site work), "languages" (all
    # runs, wall clock), "run <lang>" (each), "sitemap", "step <name>"
    # (each post-build step: "step index_site" is the search index).
    timings: dict[str, float] = field(default_factory=dict)
    partial: bool = False  # the dev server rebuilt only what shows one changed file


class _Recorder(logging.Handler):
    """Collects warnings and errors from Pelican and every plugin."""

    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.warnings: list[str] = []
        self.errors: list[str] = []

    def emit(self, record):
        message = record.getMessage()
        (self.errors if record.levelno >= logging.ERROR else self.warnings).append(message)


def load_settings(settings_file: str | Path = "pelicanconf.py", overrides: dict | None = None) -> dict:
    # A relative path is the project's, i.e. the current folder's; not the
    # folder this package was installed from, which may be another checkout.
    path = Path(settings_file).resolve()
    return read_settings(str(path), override=overrides or {})


@functools.cache
def template_bytecode_cache(directory: Path) -> FileSystemBytecodeCache:
    directory.mkdir(parents=True, exist_ok=True)
    return FileSystemBytecodeCache(str(directory))


def language_settings(
    base: dict, lang: str, output_root: Path, ctx: BuildContext, runs_at_once: int = 1
) -> dict:
    """Settings of one language's subsite, derived from the base settings.
    ``runs_at_once``: how many language runs share the machine's cores."""
    site = ctx.site
    prefix = site.prefix(lang)
    settings = dict(base)
    settings.update(
        DEFAULT_LANG=lang,
        SITENAME=site.sitenames.get(lang, site.sitename),
        SITE_ROOT=site.site_root,
        SITEURL=site.language_root(lang),
        FEED_DOMAIN=site.language_root(lang, absolute=True),
        OUTPUT_PATH=str(output_root / prefix) if prefix else str(output_root),
        # Each run reads only its own language's folders: no content is read
        # three times and nothing of another language turns into a draft.
        ARTICLE_PATHS=[f"{lang}/posts"],
        PAGE_PATHS=[f"{lang}/pages"],
        CACHE_PATH=str(Path(base["CACHE_PATH"]) / lang),
        TRANSLATION_INDEX=ctx.translation_index,
        # The same object for every language of one build: the typed
        # settings, and whole-site work done once per build.
        SITEKIT=ctx,
        DELETE_OUTPUT_DIRECTORY=False,
        # One Markdown instance per run, reset between files (markdown_reader.py).
        READERS=markdown_reader.readers_setting(base),
        # The threads a plugin may use for work beside the run's own (reach
        # draws share images while pages are written): the cores not taken
        # by the other runs. Parallel runs on two cores get one each, which
        # also keeps each run's memory down (four drawing threads held
        # about 20 MB more at 1,000 posts).
        THREADS_PER_RUN=max(1, (os.cpu_count() or 1) // max(1, runs_at_once)),
        **pelican_addresses(),
    )
    # Compiled templates are shared by every generator of every language
    # (Pelican gives each generator its own Jinja environment) and kept on
    # disk for the next build.
    settings["JINJA_ENVIRONMENT"] = {
        **base["JINJA_ENVIRONMENT"],
        "bytecode_cache": template_bytecode_cache(Path(base["CACHE_PATH"]) / "jinja"),
    }
    if prefix:
        # Theme files and images are written once, by the main language.
        settings.update(THEME_STATIC_PATHS=[], STATIC_PATHS=[])
    return configure_settings(settings)


def pelican_addresses() -> dict:
    """Pelican's own address settings, from the one table (core.urls)."""
    return {
        "ARTICLE_URL": urls.path("post", slug="{slug}"),
        "ARTICLE_SAVE_AS": urls.save_as("post", slug="{slug}"),
        "PAGE_URL": urls.path("page", slug="{slug}"),
        "PAGE_SAVE_AS": urls.save_as("page", slug="{slug}"),
        "INDEX_SAVE_AS": urls.save_as("posts"),
        "SEARCH_URL": urls.path("search"),
        "SEARCH_SAVE_AS": urls.save_as("search"),
        "FEED_ALL_ATOM": urls.path("feed"),
        "404_SAVE_AS": urls.save_as("not_found"),
    }


def compile_theme_catalogs(base: dict) -> None:
    catalogs.compile_all(Path(base["THEME_TRANSLATIONS"]))


def build_site(
    settings_file: str | Path = "pelicanconf.py",
    output: str | Path | None = None,
    overrides: dict | None = None,
    runner=None,
) -> BuildResult:
    """Build every language into a staging folder, then swap it in.

    Raises BuildError (and leaves ``output`` untouched) when Pelican or a
    plugin logged an error or raised. ``runner``: see ``_build_into``."""
    started = time.perf_counter()
    overrides = dict(overrides or {})
    if output is not None:
        overrides["OUTPUT_PATH"] = str(output)
    base = load_settings(settings_file, overrides)
    out = Path(base["OUTPUT_PATH"]).resolve()
    try:
        with outputdir.staged(out, base.get("BUILD_LOCK_WAIT")) as staging:
            result = _build_into(base, staging, out, runner)
            try:
                outputdir.swap(staging, out)
            except OSError as exc:
                raise BuildError(
                    f"build failed: could not put the new site in place of {out} "
                    f"({exc.strerror or exc}: {exc.filename or out}); the last good site was kept"
                ) from exc
    except outputdir.OutputBusy as exc:
        raise BuildError(str(exc)) from None
    result.seconds = time.perf_counter() - started
    return result


def _build_into(base: dict, staging: Path, out: Path, runner=None) -> BuildResult:
    """Every language, the sitemap and the post-build steps into ``staging``;
    BuildError (naming file and field where there is one) on any error.

    ``runner(settings_by_lang, recorder)``, when given, runs the languages
    instead of the parallel processes (the dev server runs them in its own
    process to keep what they read)."""
    # Pelican drops a warning it has logged before in this process; a second
    # build (dev server, tests) must report its own warnings again.
    LimitFilter._raised_messages.clear()
    LimitFilter._group_count.clear()
    recorder = _Recorder()
    logging.getLogger().addHandler(recorder)
    timings: dict[str, float] = {}
    stack = contextlib.ExitStack()  # the language runs' temporary folder
    try:
        clock = time.perf_counter()
        compile_theme_catalogs(base)
        site = SiteSettings.from_pelican(base)
        langs = list(site.codes)
        ctx = BuildContext(site, multilang.build_translation_index(site.content, langs))
        at_once = 1 if runner is not None else build_jobs(base, len(langs))
        # The one-file checks go on in forked processes while the plugins
        # are imported here; the build waits for them before any plugin's
        # whole-site work, as before.
        checked = check_sources_started(site.content, site.codes, jobs=at_once)
        settings = {lang: language_settings(base, lang, staging, ctx, at_once) for lang in langs}
        hooks = exports.plugin_exports(settings[site.main_lang], "prepare")
        _refuse_bad_sources(ctx, checked)
        prepare_whole_site(settings[site.main_lang], hooks)
        timings["prepare"] = time.perf_counter() - clock
        steps = [resolve_step(step) for step in base.get("POST_BUILD_STEPS", [])]
        done_per_language: list = []
        if not recorder.errors:
            clock = time.perf_counter()
            if runner is not None:
                runner(settings, recorder)
            else:
                parts = stack.enter_context(tempfile.TemporaryDirectory(prefix="sitekit-build-"))
                done_per_language = _run_languages(
                    base, settings, staging, Path(parts), steps, recorder, timings
                )
            timings["languages"] = time.perf_counter() - clock
        if not recorder.errors:
            clock = time.perf_counter()
            sitemap.write_sitemap(staging, base)
            timings["sitemap"] = time.perf_counter() - clock
            for step in steps:
                clock = time.perf_counter()
                if step in done_per_language:
                    step.per_language.finish(staging, langs, parts)
                else:
                    step(staging, base)
                timings[f"step {_step_name(step)}"] = time.perf_counter() - clock
    except Exception as exc:
        raise BuildError(f"build failed, {out} left as it was:{_detail(exc)}") from exc
    finally:
        stack.close()
        logging.getLogger().removeHandler(recorder)
    if recorder.errors:
        raise BuildError(f"build failed, {out} left as it was:\n  " + "\n  ".join(recorder.errors))
    return BuildResult(out, 0.0, recorder.warnings, langs, timings)


def prepare_whole_site(settings: dict, hooks: list | None = None) -> None:
    """Each plugin's ``prepare(settings)`` (a module-level function of the
    plugin, optional): whole-site work that every language's run would
    otherwise ask for, done once before the runs (``BuildContext.once``), so
    that parallel runs share it instead of each doing it again. ``hooks``:
    those functions, when already looked up (importing the plugins)."""
    for hook in exports.plugin_exports(settings, "prepare") if hooks is None else hooks:
        hook(settings)


def build_jobs(base: dict, count: int) -> int:
    """How many language runs at once: BUILD_JOBS, or one per core."""
    jobs = base.get("BUILD_JOBS")
    return max(1, min(count, int(jobs))) if jobs else workers.default_jobs(count)


def _run_languages(
    base: dict, settings: dict, staging: Path, parts: Path, steps: list, recorder: _Recorder, timings: dict
) -> list:
    """The language runs, in parallel processes unless BUILD_JOBS is 1.
    A post-build step that can work one language at a time (its
    ``per_language``: the search index) follows each language's run in
    the same job slots; returns those steps (they only need finishing)."""
    langs = list(settings)
    jobs = build_jobs(base, len(langs))
    if jobs == 1:
        for lang in langs:
            clock = time.perf_counter()
            Pelican(settings[lang]).run()
            timings[f"run {lang}"] = time.perf_counter() - clock
            if recorder.errors:
                break
        return []
    ctx = settings[langs[0]]["SITEKIT"]
    prefixes = {lang: ctx.site.prefix(lang) for lang in langs}
    split = [step for step in steps if getattr(step, "per_language", None) is not None]

    def follow_up(lang: str) -> list:
        others = {p for code, p in prefixes.items() if p and code != lang}
        return [
            (
                f"{_step_name(step)} {lang}",
                *step.per_language.command(staging, lang, prefixes[lang], others, parts),
            )
            for step in split
        ]

    def command_done(name: str, status: int, output: str, seconds: float) -> None:
        timings[f"step {name}"] = seconds
        step_name, lang = name.rsplit(" ", 1)
        step = next(s for s in split if _step_name(s) == step_name)
        if status != 0:
            raise step.per_language.failed(lang, status, output)
        step.per_language.done(staging, lang, parts)

    seconds: dict[str, float] = {}
    workers.run_parallel(
        langs,
        lambda lang: Pelican(settings[lang]).run(),
        jobs,
        _detail,
        seconds,
        stop=lambda: bool(recorder.errors),
        follow_up=follow_up,
        command_done=command_done,
    )
    timings.update({f"run {lang}": value for lang, value in seconds.items()})
    return split


def _step_name(step) -> str:
    return getattr(step, "__name__", str(step))


def _detail(exc: BaseException) -> str:
    if isinstance(exc, workers.LanguageRunFailed):
        return exc.detail
    if isinstance(exc, ContentErrors):
        return f"\n  {exc}"
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        return f" no space left on the disk while writing {exc.filename or 'the site'}: free some space"
    return f" {exc}"


def _refuse_bad_sources(ctx: BuildContext, checked=None) -> None:
    """The front-matter rules of `invoke check` (sitekit.core.sources), run
    before Pelican reads anything: the build and the check fail together on
    the same file, line and field. Raw-HTML warnings are logged.
    ``checked``: the answer of ``check_sources_started``, when started."""
    _, errors, warnings = build_sources(ctx, checked)
    for warning in warnings:
        log.warning("%s", warning)
    if errors:
        raise ContentErrors(errors)


class ContentErrors(Exception):
    def __init__(self, errors):
        self.errors = errors
        super().__init__("\n  ".join(str(e) for e in errors))


def resolve_step(step):
    """A post-build step is a callable or a 'module:function' string taking
    (output_dir, settings); it runs on the staging folder before the swap."""
    if callable(step):
        return step
    module, _, name = step.partition(":")
    return getattr(importlib.import_module(module), name)


def wait_for_cleanup() -> None:
    """Block until the previous build's replaced output is deleted."""
    outputdir.wait_for_cleanup()


def abandon(out: Path) -> None:
    """Tidy up after a build interrupted at any point (Ctrl+C, SIGTERM):
    put the last good site back if the interruption fell between the two
    renames of the swap, and remove staging and replaced folders. Skipped if
    another build holds the output."""
    out = Path(out).resolve()
    try:
        with outputdir.locked(out, wait_seconds=0, say=lambda message: None):
            outputdir.repair(out)
    except outputdir.OutputBusy:
        pass
