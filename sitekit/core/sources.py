"""The Markdown files of content/<lang>/<kind>/ and the checks that need
only one file: its place, its front matter (sitekit.core.rules) and raw
HTML an editor should not write. `invoke check` and the build both run
``check_sources``, so a file that passes one passes the other."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from . import rules, values
from .errors import ContentError
from .frontmatter import FrontMatter, read

# Folders directly below content/ that are not languages.
NON_LANGUAGE_DIRS = ("data", "images", "schedules")
MARKDOWN_SUFFIXES = (".md", ".markdown")


@dataclass
class SourceFile:
    path: Path
    lang: str
    kind: str  # pages, posts or events
    key: str  # path below the language folder, shared by translations
    fm: FrontMatter

    @property
    def meta(self) -> dict[str, tuple[str, int]]:
        """field -> (value, line)."""
        return {key: (self.fm.text(key), self.fm.lines[key]) for key in self.fm.values}

    @property
    def body_line(self) -> int:
        return self.fm.body_start + 1


def collect(content: Path, langs) -> tuple[list[SourceFile], list[ContentError]]:
    """Every Markdown file in its place, read; and what is out of place or
    cannot be read."""
    errors: list[ContentError] = []
    return list(_each_source(content, langs, errors)), errors


def _markdown_files(content: Path) -> list[tuple[Path, tuple[str, ...]]]:
    """(path, its parts below ``content``) of every Markdown file, in the
    order of ``sorted(content.rglob("*"))``; os.walk and plain strings,
    which at 3,000 files took a third of the time of Path objects."""
    root = str(content)
    found = []
    for folder, _dirs, files in os.walk(root):
        rel = os.path.relpath(folder, root)
        base = () if rel == "." else tuple(rel.split(os.sep))
        found += [(*base, name) for name in files if os.path.splitext(name)[1].lower() in MARKDOWN_SUFFIXES]
    found.sort(key=list)
    return [(Path(root, *parts), parts) for parts in found]


def _each_source(content: Path, langs, errors: list[ContentError]):
    """``collect``'s files one at a time (its errors appended to ``errors``)."""
    for path, parts in _markdown_files(content):
        if parts[0] in NON_LANGUAGE_DIRS:
            continue
        if parts[0] not in langs or len(parts) < 3 or parts[1] not in rules.KINDS:
            errors.append(
                ContentError(
                    path,
                    "location",
                    f"Markdown must live in content/<language>/<kind>/ with language one of "
                    f"{', '.join(langs)} and kind one of {', '.join(rules.KINDS)}",
                )
            )
            continue
        try:
            fm = read(path)
        except ContentError as exc:
            errors.append(exc)
            continue
        yield SourceFile(path, parts[0], parts[1], "/".join(parts[1:]), fm)


# Raw HTML that the Content-Security-Policy blocks in browsers: it would
# silently do nothing for readers, so the editor is told.
_RAW_HTML = (
    (re.compile(r"<\s*script\b", re.I), "a <script> element; scripts in pages are blocked: remove it"),
    (re.compile(r"<\s*iframe\b", re.I), "an <iframe>; embeds load other sites and are blocked: link instead"),
    (
        re.compile(r"<[^>]*\son[a-z]+\s*=", re.I),
        "an on...= attribute; inline scripts are blocked: remove it",
    ),
    (re.compile(r"\(\s*javascript:|href\s*=\s*[\"']?\s*javascript:", re.I), "a javascript: link: remove it"),
    (re.compile(r"<[^>]*\sstyle\s*=", re.I), "a style= attribute; inline styles are blocked: remove it"),
)


# Contact details change and must carry the date they were checked: they
# belong in content/data/, never in page text. Links' addresses are skipped.
_PHONE_OR_EMAIL = re.compile(r"\+?\d[\d ()-]{7,}\d|[^@\s(]+@[^@\s]+\.[a-z]{2,}")
_LINK_TARGET = re.compile(r"\]\([^)]*\)|<https?://[^>]*>")


_DIGIT_OR_AT = re.compile(r"[\d@]")


def contact_errors(src: SourceFile) -> list[ContentError]:
    found = []
    # Neither alternative can match without a digit or an @: only the lines
    # that have one are looked at (the e-mail pattern is slow on prose).
    for offset, text in enumerate(src.fm.body.splitlines()):
        if not _DIGIT_OR_AT.search(text):
            continue
        line = _LINK_TARGET.sub("", text)
        if not _DIGIT_OR_AT.search(line):  # only in a link's address
            continue
        matches = _PHONE_OR_EMAIL.findall(line)
        # Nine digits or more: a phone, not a date such as 2025-01-01.
        if any("@" in m or sum(c.isdigit() for c in m) >= 9 for m in matches):
            found.append(
                ContentError(
                    src.path,
                    "text",
                    "looks like a phone number or e-mail address: contact details go in "
                    "content/data/contacts.yml, with their source and the date they were seen",
                    line=src.body_line + offset,
                )
            )
    return found


def contacts_in_text(path: Path) -> list[ContentError]:
    """``contact_errors`` of one file, read from disk (for tests and tools)."""
    fm = read(path)
    return contact_errors(SourceFile(Path(path), "", "", "", fm))


# The first bytes of the pictures a link preview may use.
_PICTURE_SIGNATURES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")


def share_image_errors(src: SourceFile, content: Path) -> list[ContentError]:
    """A page's own link-preview picture (Share_image) must be a PNG or
    JPEG file below content/images/ and say what it shows (Share_image_alt).
    A value that does not parse is reported by the rules already."""
    fm = src.fm
    try:
        rel = values.parse_image_path(fm.text("share_image")) if fm.text("share_image").strip() else None
    except ValueError:
        return []
    if rel is None:
        return []
    line = fm.lines["share_image"]
    errors = []
    path = Path(content) / rel
    if not path.is_file():
        errors.append(ContentError(src.path, "share_image", f"{rel}: no such file below content/", line=line))
    else:
        with path.open("rb") as fh:
            if not fh.read(8).startswith(_PICTURE_SIGNATURES):
                errors.append(
                    ContentError(src.path, "share_image", f"{rel}: not a PNG or JPEG picture", line=line)
                )
    if not fm.text("share_image_alt").strip():
        errors.append(
            ContentError(
                src.path,
                "share_image_alt",
                f"missing: add a line 'Share_image_alt: ...' saying in a few words what {rel} shows",
                line=fm.lines.get("share_image_alt", line),
            )
        )
    return errors


def raw_html_warnings(src: SourceFile) -> list[ContentError]:
    found = []
    body = src.fm.body
    # Every pattern needs a "<" or a "javascript:": most files have neither.
    if "<" not in body and "javascript:" not in body.lower():
        return found
    for offset, line in enumerate(body.splitlines()):
        for pattern, message in _RAW_HTML:
            if pattern.search(line):
                found.append(ContentError(src.path, "html", message, line=src.body_line + offset))
    return found


def duplicate_slugs(files: list[SourceFile]) -> list[ContentError]:
    seen: dict[tuple[str, str, str], SourceFile] = {}
    errors = []
    for src in files:
        slot = (src.lang, src.kind, src.path.stem)
        if slot in seen:
            errors.append(
                ContentError(
                    src.path,
                    "slug",
                    f"'{src.path.stem}' is also the name of {seen[slot].path}; two {src.kind} in one "
                    "language cannot share a file name: rename one",
                )
            )
        else:
            seen[slot] = src
    return errors


def check_sources(
    content: Path, langs, *, keep_bodies: bool = True
) -> tuple[list[SourceFile], list[ContentError], list[ContentError]]:
    """(files, errors, warnings) of every Markdown file, without building.
    A build reads them once (``build_sources``) and keeps only their front
    matter (``keep_bodies=False``: each body is dropped once checked, so
    3,000 of them are never held at once)."""
    files, misplaced, errors, warnings = [], [], [], []
    for src in _each_source(content, langs, misplaced):
        errors.extend(rules.check_front_matter(src.path, src.kind, src.fm))
        errors.extend(contact_errors(src))
        errors.extend(share_image_errors(src, content))
        warnings.extend(raw_html_warnings(src))
        if not keep_bodies:
            src.fm.body = ""
        files.append(src)
    return files, misplaced + errors + duplicate_slugs(files), warnings


def build_sources(ctx) -> tuple[list[SourceFile], list[ContentError], list[ContentError]]:
    """``check_sources`` once per build (a ``core.site.BuildContext``): the
    build's refusal of bad files and the translation status page share it."""
    return ctx.once("sources", lambda: check_sources(ctx.site.content, ctx.site.codes, keep_bodies=False))
