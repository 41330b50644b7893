"""`invoke check`: validate all content without building the site.

Every problem is reported as ``file:line: field: message`` and says what
would be right. Errors stop a build; warnings are things an editor should
look at (missing or stale translations, reviews due). Data files, schedules
and feeds are checked by the validators their plugins export (listed in the
CONTENT_VALIDATORS setting), the same code the build runs."""

from __future__ import annotations

import difflib
import re
import subprocess
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from sitekit.core import frontmatter
from sitekit.core.errors import ContentError

ERROR = "error"
WARNING = "warning"

# Front matter an editor may write in pages and posts, and what each is for.
KNOWN_FIELDS = {
    "title": "the page title",
    "date": "publication date of a post, YYYY-MM-DD or YYYY-MM-DD HH:MM",
    "modified": "date of the last real change, YYYY-MM-DD",
    "summary": "one or two sentences shown in listings and search results",
    "template": "the page layout, e.g. home",
    "reviewed": "the date the facts were last checked, YYYY-MM-DD",
    "sources": "where the facts come from",
    "keywords": "comma-separated words used to match related news",
    "tags": "comma-separated tags",
    "menu_order": "a number: the page's place in the main menu",
    "menu_label": "a short name for the main menu",
    "translation_review": "'needed' when a native speaker should check the text",
    "translated_from": "the date of the source text this translation follows, YYYY-MM-DD",
    "status": "published (default), draft or hidden",
    "share_image": "a picture for link previews instead of the drawn one, e.g. images/june-26.png",
    "share_image_alt": "what the share image shows, in a few words",
}
# Fields that would break the rule that a translation shares its file name
# and that the language comes from the folder.
FORBIDDEN_FIELDS = {
    "slug": "the slug is the file name: rename the file instead",
    "lang": "the language comes from the folder (content/en, content/ru, content/ky): move the file",
    "url": "URLs come from the file name: rename the file instead",
    "save_as": "URLs come from the file name: rename the file instead",
    "translation": "translations are linked by file name: remove this field",
}
DATE_FIELDS = ("date", "modified", "reviewed", "translated_from")
REQUIRED = {"pages": ("title",), "posts": ("title", "date")}
KINDS = ("pages", "posts")
# Folders below content/<lang>/ that other plugins read and check themselves.
OTHER_KINDS = ("events",)
# Folders directly below content/ that are not languages.
NON_LANGUAGE_DIRS = ("data", "images", "schedules")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
STATUSES = ("published", "draft", "hidden")
# Listing pages the site generates in every language (not from Markdown).
GENERATED_PATHS = ("", "posts/", "news/", "events/", "search/", "feeds/all.atom.xml")


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


@dataclass
class Source:
    """One Markdown file of content/<lang>/<kind>/."""

    path: Path
    lang: str
    kind: str
    key: str  # path below the language folder, shared by translations
    meta: dict  # field -> (value, line)
    body: str
    body_line: int  # line number of the body's first line


def read_front_matter(path: Path) -> tuple[dict, str, int]:
    """field -> (value, line), the body, and the body's first line number."""
    fm = frontmatter.read(path)
    meta = {key: (fm.text(key), fm.lines[key]) for key in fm.values}
    return meta, fm.body, fm.body_start + 1


def parse_date(value: str) -> date | None:
    value = value.strip()
    for fmt in ("%Y-%m-%d", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            pass
    return None


def collect_sources(content: Path, langs: list[str]) -> tuple[list[Source], list[Problem]]:
    sources, problems = [], []
    for path in sorted(content.rglob("*")):
        if not path.is_file() or path.suffix.lower() not in (".md", ".markdown"):
            continue
        rel = path.relative_to(content)
        parts = rel.parts
        if parts[0] in NON_LANGUAGE_DIRS:
            continue
        if parts[0] not in langs or len(parts) < 3 or parts[1] not in KINDS + OTHER_KINDS:
            problems.append(
                Problem(
                    path,
                    None,
                    "location",
                    f"Markdown must live in content/<language>/<kind>/ with language one of "
                    f"{', '.join(langs)} and kind one of {', '.join(KINDS + OTHER_KINDS)}",
                )
            )
            continue
        if parts[1] in OTHER_KINDS:
            continue
        meta, body, body_line = read_front_matter(path)
        sources.append(Source(path, parts[0], parts[1], "/".join(parts[1:]), meta, body, body_line))
    return sources, problems


def check_front_matter(src: Source) -> list[Problem]:
    problems = []
    for name, (value, line) in src.meta.items():
        if name in FORBIDDEN_FIELDS:
            problems.append(Problem(src.path, line, name, FORBIDDEN_FIELDS[name]))
        elif name not in KNOWN_FIELDS:
            guess = difflib.get_close_matches(name, KNOWN_FIELDS, n=1)
            hint = (
                f"did you mean '{guess[0]}'?"
                if guess
                else ("known fields: " + ", ".join(sorted(KNOWN_FIELDS)))
            )
            problems.append(Problem(src.path, line, name, f"unknown field; {hint}"))
        elif name in DATE_FIELDS and parse_date(value) is None:
            problems.append(
                Problem(src.path, line, name, f"'{value}' is not a date; write {KNOWN_FIELDS[name]}")
            )
        elif name == "status" and value.lower() not in STATUSES:
            problems.append(Problem(src.path, line, name, f"'{value}': use one of {', '.join(STATUSES)}"))
        elif name == "menu_order" and not value.strip().lstrip("-").isdigit():
            problems.append(Problem(src.path, line, name, f"'{value}' is not a whole number"))
        elif name == "translation_review" and value.strip().lower() not in ("needed", "done"):
            problems.append(Problem(src.path, line, name, f"'{value}': write 'needed' or 'done'"))
    for name in REQUIRED[src.kind]:
        if name not in src.meta or not src.meta[name][0].strip():
            problems.append(
                Problem(
                    src.path,
                    1,
                    name,
                    f"missing; add a line '{name.capitalize()}: ...' at the top ({KNOWN_FIELDS[name]})",
                )
            )
    stem = src.path.stem
    if not SLUG_RE.match(stem):
        suggestion = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-") or "page-name"
        problems.append(
            Problem(
                src.path,
                None,
                "file name",
                "use lowercase Latin letters, digits and hyphens (it becomes the URL), "
                f"e.g. {suggestion}{src.path.suffix}",
            )
        )
    return problems


def check_duplicate_slugs(sources: list[Source]) -> list[Problem]:
    seen: dict[tuple[str, str, str], Source] = {}
    problems = []
    for src in sources:
        slot = (src.lang, src.kind, src.path.stem)
        if slot in seen:
            problems.append(
                Problem(
                    src.path,
                    None,
                    "slug",
                    f"'{src.path.stem}' is also the name of {seen[slot].path}; two {src.kind} in one "
                    "language cannot share a file name: rename one",
                )
            )
        else:
            seen[slot] = src
    return problems


def site_paths(sources: list[Source], langs: list[str]) -> dict[str, set[str]]:
    """Paths below each language's root that the build will write."""
    paths = {lang: set(GENERATED_PATHS) for lang in langs}
    for src in sources:
        stem = src.path.stem
        if src.kind == "pages":
            paths[src.lang].add("" if stem == "index" else f"{stem}/")
        else:
            paths[src.lang].add(f"posts/{stem}/")
    return paths


_LINK_RE = re.compile(r"(!?)\[([^\]]*)\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_IMG_TAG_RE = re.compile(r"<img\b[^>]*>", re.I)


def check_links(
    src: Source, content: Path, paths: dict[str, set[str]], langs: list[str], main_lang: str
) -> list[Problem]:
    problems = []
    for offset, line in enumerate(src.body.splitlines()):
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


def git_dates(repo: Path, content: Path) -> dict[Path, datetime]:
    """Last commit time of every file under content/, in one git call."""
    try:
        out = subprocess.run(
            ["git", "log", "--format=@%cI", "--name-only", "--", str(content)],
            cwd=repo,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return {}
    dates: dict[Path, datetime] = {}
    current = None
    for line in out.splitlines():
        if line.startswith("@"):
            current = datetime.fromisoformat(line[1:])
        elif line.strip() and current is not None:
            dates.setdefault((repo / line.strip()).resolve(), current)
    return dates


def translation_states(
    sources: list[Source], langs: list[str], main_lang: str, changed: dict[Path, datetime]
) -> dict[str, dict[str, str]]:
    """key -> lang -> one of: source, ok, missing, stale."""
    by_key: dict[str, dict[str, Source]] = {}
    for src in sources:
        by_key.setdefault(src.key, {})[src.lang] = src
    states: dict[str, dict[str, str]] = {}
    for key, versions in sorted(by_key.items()):
        source = versions.get(main_lang) or next(iter(versions.values()))
        row = {}
        for lang in langs:
            src = versions.get(lang)
            if src is None:
                row[lang] = "missing"
            elif src is source:
                row[lang] = "source"
            else:
                row[lang] = "stale" if is_stale(src, source, changed) else "ok"
        states[key] = row
    return states


def source_changed_on(source: Source, changed: dict[Path, datetime]) -> date | None:
    if "modified" in source.meta:
        return parse_date(source.meta["modified"][0])
    when = changed.get(source.path.resolve())
    return when.date() if when else None


def is_stale(translation: Source, source: Source, changed: dict[Path, datetime]) -> bool:
    """A translation is stale when its source changed after it was made:
    after its translated_from date, or else after its own last commit."""
    source_date = source_changed_on(source, changed)
    if source_date is None:
        return False
    if "translated_from" in translation.meta:
        made = parse_date(translation.meta["translated_from"][0])
        return made is not None and source_date > made
    own = changed.get(translation.path.resolve())
    source_commit = changed.get(source.path.resolve())
    return own is not None and source_commit is not None and source_commit > own


def check_translations(sources, langs, main_lang, changed) -> list[Problem]:
    problems = []
    by_key = {(s.key, s.lang): s for s in sources}
    for key, row in translation_states(sources, langs, main_lang, changed).items():
        present = [by_key[(key, lang)] for lang in langs if (key, lang) in by_key]
        missing = [lang for lang, state in row.items() if state == "missing"]
        if missing and present[0].meta.get("status", ("",))[0].lower() != "draft":
            problems.append(
                Problem(
                    present[0].path,
                    None,
                    "translation",
                    f"missing in {', '.join(missing)}: add content/{missing[0]}/{key}",
                    WARNING,
                )
            )
        for lang, state in row.items():
            if state == "stale":
                src = by_key[(key, lang)]
                source = by_key.get((key, main_lang)) or present[0]
                when = source_changed_on(source, changed)
                problems.append(
                    Problem(
                        src.path,
                        src.meta.get("translated_from", (None, None))[1],
                        "translation",
                        f"older than its source {source.path.name} (changed {when}): "
                        "update it, then set 'Translated_from: <that date>'",
                        WARNING,
                    )
                )
    return problems


def check_reviews(sources, today: date, max_age_days: int) -> list[Problem]:
    problems = []
    for src in sources:
        if "reviewed" in src.meta:
            value, line = src.meta["reviewed"]
            when = parse_date(value)
            if when and today - when > timedelta(days=max_age_days):
                problems.append(
                    Problem(
                        src.path,
                        line,
                        "reviewed",
                        f"last reviewed {when}, more than {max_age_days} days ago: check the facts "
                        "and sources, then set today's date",
                        WARNING,
                    )
                )
        elif src.kind == "pages":
            problems.append(
                Problem(
                    src.path,
                    1,
                    "reviewed",
                    "missing; add 'Reviewed: YYYY-MM-DD' with the date the facts were checked",
                    WARNING,
                )
            )
        if src.kind == "pages":
            for name in ("sources", "summary", "keywords"):
                if not src.meta.get(name, ("",))[0].strip():
                    problems.append(
                        Problem(
                            src.path,
                            1,
                            name,
                            f"missing; add '{name.capitalize()}: ...' ({KNOWN_FIELDS[name]})",
                            WARNING,
                        )
                    )
        if src.meta.get("translation_review", ("",))[0].strip().lower() == "needed":
            problems.append(
                Problem(
                    src.path,
                    src.meta["translation_review"][1],
                    "translation_review",
                    "marked as needing a native speaker's review; set 'done' when reviewed",
                    WARNING,
                )
            )
    return problems


def run_validators(settings: dict) -> list[Problem]:
    """Data files, schedules, feeds: each plugin's own validation code."""
    import importlib

    problems = []
    for spec in settings.get("CONTENT_VALIDATORS", []):
        module, _, name = spec.partition(":")
        for error in getattr(importlib.import_module(module), name)(settings):
            problems.append(Problem.from_error(error))
    return problems


def check_site(settings: dict, today: date | None = None, repo: Path | None = None) -> list[Problem]:
    """Every problem in the content, errors and warnings, without building."""
    content = Path(settings["PATH"])
    langs = [lang["code"] for lang in settings["LANGUAGES"]]
    main = settings["MAIN_LANG"]
    today = today or date.today()
    sources, problems = collect_sources(content, langs)
    for src in sources:
        problems.extend(check_front_matter(src))
    problems.extend(check_duplicate_slugs(sources))
    paths = site_paths(sources, langs)
    for src in sources:
        problems.extend(check_links(src, content, paths, langs, main))
    changed = git_dates(repo or content.parent, content)
    problems.extend(check_translations(sources, langs, main, changed))
    problems.extend(check_reviews(sources, today, int(settings.get("REVIEW_MAX_AGE_DAYS", 365))))
    problems.extend(run_validators(settings))
    return problems
