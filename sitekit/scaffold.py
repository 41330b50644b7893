"""`invoke new`: start a page, post or event with the right front matter in
the right folders, one file per language, sharing one file name."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from sitekit.core.values import SLUG_RE

FOLDERS = {"page": "pages", "post": "posts", "event": "events"}
# Placeholder text per language, so a new file is never English in a Kyrgyz
# folder without saying so.
WRITE_HERE = {
    "en": "Write the text here.",
    "ru": "Напишите текст здесь.",
    "ky": "Текстти бул жерге жазыңыз.",
}


# The title of a new translation, until someone translates it.
TRANSLATE_TITLE = {
    "ru": "Заголовок на русском",
    "ky": "Кыргызча аталышы",
}


class ScaffoldError(ValueError):
    pass


def front_matter(kind: str, lang: str, title: str, today: date, main_lang: str, timezone: str) -> list[str]:
    lines = [f"Title: {title}"]
    if kind == "page":
        lines += [f"Reviewed: {today.isoformat()}", "Summary: ", "Keywords: ", "Sources: "]
    elif kind == "post":
        lines += [f"Date: {datetime.now():%Y-%m-%d %H:%M}", "Summary: "]
    else:
        lines += [
            f"Start: {today.isoformat()} 10:00",
            f"End: {today.isoformat()} 12:00",
            f"Timezone: {timezone}",
            "Region: bishkek",
            # Venue, Address and Organiser are added when known: a field
            # written empty is an error (sitekit.core.rules).
            "Status: scheduled",
        ]
    if lang != main_lang:
        lines += [f"Translated_from: {today.isoformat()}", "Translation_review: needed"]
    return lines


def create(
    content: Path,
    kind: str,
    slug: str,
    langs: list[str],
    *,
    main_lang: str,
    timezone: str,
    title: str = "",
    today: date | None = None,
) -> list[Path]:
    if kind not in FOLDERS:
        raise ScaffoldError(f"kind: '{kind}' is not one of {', '.join(FOLDERS)}")
    if not SLUG_RE.match(slug):
        raise ScaffoldError(
            f"slug: '{slug}' must be lowercase Latin letters, digits and hyphens, e.g. legal-aid-osh"
        )
    today = today or date.today()
    title = title or slug.replace("-", " ").capitalize()
    paths = [content / lang / FOLDERS[kind] / f"{slug}.md" for lang in langs]
    existing = [p for p in paths if p.exists()]
    if existing:
        raise ScaffoldError(f"{existing[0]}: already exists; choose another slug or edit that file")
    for lang, path in zip(langs, paths, strict=False):
        path.parent.mkdir(parents=True, exist_ok=True)
        own_title = title if lang == main_lang else TRANSLATE_TITLE.get(lang, title)
        text = "\n".join(front_matter(kind, lang, own_title, today, main_lang, timezone))
        path.write_text(f"{text}\n\n{WRITE_HERE.get(lang, WRITE_HERE['en'])}\n", encoding="utf-8")
    return paths
