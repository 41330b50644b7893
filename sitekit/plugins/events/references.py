"""What events refer to by code: the regions (content/data/regions.yml, the
same file the legal-help page lists; the data plugin checks the rest of it)
and the campaigns (content/schedules/campaigns.yml). Both read with
sitekit.core.yamlfile, so every error names the file, line and field."""

from __future__ import annotations

from pathlib import Path

from sitekit.core import values
from sitekit.core.errors import ContentError
from sitekit.core.yamlfile import read_yaml

from .model import Campaign

CAMPAIGN_KEYS = ("code", "name", "summary")


def _entries(path: Path, what: str, example: str) -> list:
    """The file's list of entries; a mapping or text instead is an error."""
    data = read_yaml(path)
    if data is None:
        return []
    if not isinstance(data, list):
        found = "a mapping (key: value lines)" if isinstance(data, dict) else f"{data!r}"[:60]
        raise ContentError(
            path,
            what,
            f"expected a list of {what}, each entry starting with '- ' ({example}); found {found}",
            line=getattr(data, "line", 1),
        )
    for number, entry in enumerate(data, 1):
        if not isinstance(entry, dict):
            raise ContentError(
                path,
                what,
                f"entry {number} is {entry!r:.40}, not fields; write '{example}' and the fields "
                "below it, indented",
            )
    return data


def _code(path: Path, entry: dict, number: int) -> str:
    raw = entry.get("code")
    try:
        return values.parse_slug(raw if raw is not None else "")
    except ValueError as exc:
        raise ContentError(path, "code", f"entry {number}: {exc}", line=entry.line_of("code")) from None


def per_language(
    path: Path, entry: dict, key: str, code: str, langs, *, required: bool, other_langs_ok: bool = False
) -> dict[str, str]:
    """A text per language: ``{en: ..., ru: ..., ky: ...}``. Languages the
    site does not have are an error, or left out with ``other_langs_ok``."""
    raw = entry.get(key)
    line = entry.line_of(key)
    example = "{" + ", ".join(f"{lang}: ..." for lang in langs) + "}"
    if raw is None and not required:
        return {}
    if not isinstance(raw, dict):
        got = "nothing" if raw is None else f"the text {str(raw)[:40]!r}"
        raise ContentError(
            path, key, f"expected a text per language, such as {example}; found {got}", line=line, entry=code
        )
    texts = {}
    for lang, text in raw.items():
        if lang not in langs and other_langs_ok:
            continue
        if lang not in langs:
            raise ContentError(
                path,
                key,
                f"unknown language '{lang}'; the languages are {', '.join(langs)}",
                line=raw.line_of(lang),
                entry=code,
            )
        if text is not None and not isinstance(text, (str, int, float)):
            raise ContentError(path, key, f"{lang}: expected text", line=raw.line_of(lang), entry=code)
        if text is not None and str(text).strip():
            texts[lang] = str(text).strip()
    if required and not texts:
        raise ContentError(
            path, key, f"empty; expected a text per language, such as {example}", line=line, entry=code
        )
    return texts


def load_regions(data_dir: Path, langs) -> dict[str, dict[str, str]]:
    """{code: {lang: name}} in file order; {} when there is no regions file."""
    path = Path(data_dir) / "regions.yml"
    if not path.is_file():
        return {}
    regions = {}
    for number, entry in enumerate(_entries(path, "regions", "- code: bishkek"), 1):
        code = _code(path, entry, number)
        regions[code] = per_language(path, entry, "name", code, langs, required=True, other_langs_ok=True)
    return regions


def load_campaigns(content: Path, langs) -> dict[str, Campaign]:
    """{code: Campaign}; {} when there is no campaigns file."""
    path = Path(content) / "schedules" / "campaigns.yml"
    if not path.is_file():
        return {}
    campaigns = {}
    for number, entry in enumerate(_entries(path, "campaigns", "- code: june-26-2027"), 1):
        code = _code(path, entry, number)
        for key in entry:
            if key not in CAMPAIGN_KEYS:
                raise ContentError(
                    path,
                    str(key),
                    f"unknown field; a campaign has {', '.join(CAMPAIGN_KEYS)}",
                    line=entry.line_of(key),
                    entry=code,
                )
        if code in campaigns:
            raise ContentError(
                path, "code", f"'{code}' is listed twice", line=entry.line_of("code"), entry=code
            )
        campaigns[code] = Campaign(
            code,
            per_language(path, entry, "name", code, langs, required=True),
            per_language(path, entry, "summary", code, langs, required=False),
        )
    return campaigns
