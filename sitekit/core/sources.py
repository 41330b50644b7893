"""The Markdown files of content/<lang>/<kind>/ and the checks that need
only one file: its place, its front matter (sitekit.core.rules) and raw
HTML an editor should not write. `invoke check` and the build both run
``check_sources``, so a file that passes one passes the other."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
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


def _each_source(content: Path, langs, errors: list[ContentError], found=None):
    """``collect``'s files one at a time (its errors appended to ``errors``);
    ``found``: those of ``_markdown_files`` to look at (default: all)."""
    for path, parts in _markdown_files(content) if found is None else found:
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
    return _joined([_check_files(content, langs, _markdown_files(content), keep_bodies)])


def _check_files(content: Path, langs, found: list, keep_bodies: bool) -> tuple[list, list, list, list]:
    """The one-file checks of some of the files: (files, misplaced, errors,
    warnings), each in the order of ``found``."""
    files, misplaced, errors, warnings = [], [], [], []
    for src in _each_source(content, langs, misplaced, found):
        errors.extend(rules.check_front_matter(src.path, src.kind, src.fm))
        errors.extend(contact_errors(src))
        errors.extend(share_image_errors(src, content))
        warnings.extend(raw_html_warnings(src))
        if not keep_bodies:
            src.fm.body = ""
        files.append(src)
    return files, misplaced, errors, warnings


def _joined(parts: list[tuple]) -> tuple[list, list, list]:
    """``check_sources``'s answer from the answers of consecutive parts of
    the file list: the same lists in the same order, and the checks across
    files (two files with one name) made on the whole."""
    files = [src for part in parts for src in part[0]]
    misplaced = [error for part in parts for error in part[1]]
    errors = [error for part in parts for error in part[2]]
    warnings = [warning for part in parts for warning in part[3]]
    return files, misplaced + errors + duplicate_slugs(files), warnings


def check_sources_started(content: Path, langs, *, jobs: int = 2) -> Callable[[], tuple]:
    """``check_sources(content, langs, keep_bodies=False)`` begun in ``jobs``
    forked processes, each checking a consecutive share of the files; the
    function returned waits for them and gives the same answer. The build
    starts it first and imports its plugins meanwhile: at 3,000 files the
    check was a third of a second on one core with the other idle. Where
    processes cannot be forked, or a process fails, the check is made here
    when the answer is asked for (what failed is then raised as before)."""
    import multiprocessing  # only here: core stays light to import

    if jobs < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return lambda: check_sources(content, langs, keep_bodies=False)
    found = _markdown_files(content)
    context = multiprocessing.get_context("fork")
    started = []
    for number in range(jobs):
        share = found[len(found) * number // jobs : len(found) * (number + 1) // jobs]
        receive, send = context.Pipe(duplex=False)
        process = context.Process(target=_check_share, args=(content, langs, share, send), daemon=True)
        process.start()
        send.close()
        started.append((receive, process))

    def answer() -> tuple:
        parts = []
        for receive, process in started:
            try:
                part = receive.recv()
            except Exception:  # gone, or its answer unreadable: checked again here
                part = None
            receive.close()
            process.join()
            parts.append(part)
        if any(part is None for part in parts):
            return check_sources(content, langs, keep_bodies=False)
        return _joined([_unpacked(part) for part in parts])

    return answer


def _check_share(content: Path, langs, share: list, send) -> None:
    """In a forked process: one share of the files checked, sent back as
    plain values (quicker to pickle than Paths), or None if it failed."""
    try:
        files, misplaced, errors, warnings = _check_files(content, langs, share, keep_bodies=False)
        packed = [(str(src.path), src.lang, src.kind, src.key, vars(src.fm)) for src in files]
        send.send((packed, misplaced, errors, warnings))
    except BaseException:  # the parent checks again and raises it there
        send.send(None)
    finally:
        send.close()


def _unpacked(part: tuple) -> tuple:
    packed, misplaced, errors, warnings = part
    files = [SourceFile(Path(p), lang, kind, key, FrontMatter(**fm)) for p, lang, kind, key, fm in packed]
    return files, misplaced, errors, warnings


def build_sources(ctx, compute: Callable[[], tuple] | None = None) -> tuple[list, list, list]:
    """``check_sources`` once per build (a ``core.site.BuildContext``): the
    build's refusal of bad files and the translation status page share it.
    ``compute``: where the answer comes from the first time, when not
    from ``check_sources`` here (``check_sources_started``)."""
    site = ctx.site
    return ctx.once(
        "sources", compute or (lambda: check_sources(site.content, site.codes, keep_bodies=False))
    )
