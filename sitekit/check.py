"""`invoke check`: every problem in the content, without building the site.

Every problem is reported as ``file:line: field: message`` and says what
would be right. Errors stop a build; warnings are things an editor should
look at (missing or stale translations, reviews due, raw HTML).

The one-file rules (front matter, encoding, place) are
``sitekit.core.sources.check_sources``, which the build runs too; data
files, schedules and feeds are checked by the validators their plugins
export (the CONTENT_VALIDATORS setting), the same code the build runs; the
addresses that links may point to are the ones the generators declare
(``sitekit.core.urls`` and each plugin's ``declared_paths``)."""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sitekit.core import editorial, urls
from sitekit.core.errors import ContentError
from sitekit.core.site import SiteSettings
from sitekit.core.sources import SourceFile, check_sources
from sitekit.exports import plugin_exports

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    path: Path
    line: int | None
    field: str
    message: str
    severity: str = ERROR

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else f"{self.path}"
        tag = "" if self.severity == ERROR else " (warning)"
        return f"{where}: {self.field}: {self.message}{tag}"

    def display(self, root: Path) -> str:
        """The problem with its path relative to ``root`` when it is below it."""
        try:
            path = Path(self.path).resolve().relative_to(root.resolve())
        except ValueError:
            return str(self)
        return str(Problem(path, self.line, self.field, self.message, self.severity))

    @classmethod
    def from_error(cls, error: ContentError, severity: str = ERROR) -> Problem:
        field = f"[{error.entry}] {error.field}" if error.entry else error.field
        return cls(error.path, error.line, field, error.message, severity)


def site_paths(sources: list[SourceFile], settings: dict) -> dict[str, set[str]]:
    """Paths below each language's root that the build will write: the
    pages and posts, what every language has, and what each plugin's
    generators declare."""
    site = SiteSettings.from_pelican(settings)
    paths = {lang: {urls.path(kind) for kind in urls.ALWAYS} for lang in site.codes}
    if site.translation_status_page:
        for lang in site.codes:
            paths[lang].add(urls.path("translation_status"))
    for src in sources:
        stem = src.path.stem
        if src.kind == "pages":
            paths[src.lang].add(urls.path("home") if stem == "index" else urls.path("page", slug=stem))
        elif src.kind == "posts":
            paths[src.lang].add(urls.path("post", slug=stem))
    for declared in plugin_exports(settings, "declared_paths"):
        try:
            for lang, more in declared(settings).items():
                paths.setdefault(lang, set()).update(more)
        except ContentError:
            pass  # the plugin's validator reports it
    return paths


_LINK_RE = re.compile(r"(!?)\[([^\]]*)\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_IMG_TAG_RE = re.compile(r"<img\b[^>]*>", re.I)


def check_links(
    src: SourceFile, content: Path, paths: dict[str, set[str]], langs: list[str], main_lang: str
) -> list[Problem]:
    problems = []
    for offset, line in enumerate(src.fm.body.splitlines()):
        lineno = src.body_line + offset
        for match in _LINK_RE.finditer(line):
            is_image, text, target = match.group(1) == "!", match.group(2), match.group(3)
            if is_image and not text.strip():
                problems.append(
                    Problem(
                        src.path,
                        lineno,
                        "image",
                        f"{target} has no alt text; describe the image: ![what it shows]({target})",
                    )
                )
            problems.extend(_check_target(src, lineno, target, content, paths, langs, main_lang, is_image))
        for tag in _IMG_TAG_RE.findall(line):
            if not re.search(r"\balt\s*=\s*\"[^\"]+\"", tag):
                problems.append(
                    Problem(src.path, lineno, "image", f'{tag} has no alt text; add alt="what it shows"')
                )
    return problems


def _check_target(src, lineno, target, content, paths, langs, main_lang, is_image):
    if target.startswith(("http://", "https://", "mailto:", "tel:", "#")):
        return []
    target = target.split("#", 1)[0]
    for marker in ("{filename}", "{static}", "{attach}"):
        if target.startswith(marker):
            rel = target[len(marker) :]
            base = content if rel.startswith("/") else src.path.parent
            if not (base / rel.lstrip("/")).resolve().exists():
                return [
                    Problem(
                        src.path,
                        lineno,
                        "link",
                        f"{target}: no such file (paths after {marker} are relative to this file, "
                        "or to content/ when they start with /)",
                    )
                ]
            return []
    if not target.startswith("/"):
        return [
            Problem(
                src.path,
                lineno,
                "link",
                f"{target}: use a link that starts with / (e.g. /ru/rights/) or {{filename}}other-page.md",
            )
        ]
    path = target.lstrip("/")
    if path.startswith(("images/", "theme/")):
        if not (content / path).exists() and not path.startswith("theme/"):
            return [
                Problem(
                    src.path,
                    lineno,
                    "image" if is_image else "link",
                    f"{target}: no such file in content/{path.rsplit('/', 1)[0]}/",
                )
            ]
        return []
    lang, rest = main_lang, path
    first = path.split("/", 1)[0]
    if first in langs and first != main_lang:
        lang, rest = first, path[len(first) + 1 :]
    if rest and not rest.endswith("/") and "." not in rest.rsplit("/", 1)[-1]:
        rest += "/"
    if rest in paths[lang]:
        return []
    elsewhere = [code for code in langs if rest in paths[code]]
    hint = (
        (
            f"that page exists only in {', '.join(elsewhere)}: translate it or link to the "
            f"{lang} page that exists"
        )
        if elsewhere
        else "no page has that address"
    )
    return [Problem(src.path, lineno, "link", f"{target}: no such page in {lang}; {hint}")]


def run_validators(settings: dict) -> list[Problem]:
    """Data files, schedules, feeds: each plugin's own validation code."""
    problems = []
    for spec in settings.get("CONTENT_VALIDATORS", []):
        module, _, name = spec.partition(":")
        for error in getattr(importlib.import_module(module), name)(settings):
            problems.append(Problem.from_error(error, error.severity))
    return problems


def check_site(settings: dict, today: date | None = None, repo: Path | None = None) -> list[Problem]:
    """Every problem in the content, errors and warnings, without building."""
    site = SiteSettings.from_pelican(settings)
    content = site.content
    langs, main = list(site.codes), site.main_lang
    sources, errors, warnings = check_sources(content, langs)
    problems = [Problem.from_error(e) for e in errors]
    problems += [Problem.from_error(w, WARNING) for w in warnings]
    paths = site_paths(sources, settings)
    for src in sources:
        problems.extend(check_links(src, content, paths, langs, main))
    changed = editorial.git_dates(repo or content.parent, content)
    for warning in editorial.translation_warnings(sources, langs, main, changed):
        problems.append(Problem.from_error(warning, WARNING))
    for warning in editorial.review_warnings(sources, today or date.today(), site.review_max_age_days):
        problems.append(Problem.from_error(warning, WARNING))
    problems.extend(run_validators(settings))
    # A plugin's validator may repeat a one-file error (events run the
    # front-matter rules to skip broken events): report each once.
    return list(dict.fromkeys(problems))
