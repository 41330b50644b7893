"""The benchmark's synthetic corpus: ``ARTICLES`` posts of about 600 words
in each language, the same file names in en/, ru/ and ky/ (so they are
translations), written into a temporary folder with the site's own data
files."""

from __future__ import annotations

import os
import random
import shutil
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LANGS = ["en", "ru", "ky"]
ARTICLES = int(os.environ.get("BENCH_ARTICLES", "1000"))

WORDS = {
    "en": [
        "torture",
        "prevention",
        "detention",
        "rights",
        "lawyer",
        "complaint",
        "monitor",
        "visit",
        "prison",
        "police",
        "ombudsperson",
        "report",
        "court",
        "doctor",
        "family",
        "hotline",
        "region",
        "Bishkek",
        "Osh",
        "Naryn",
        "law",
        "inspection",
        "treaty",
        "committee",
        "evidence",
        "safety",
        "dignity",
        "help",
        "the",
        "of",
        "and",
        "to",
        "in",
        "for",
        "with",
        "a",
        "is",
        "are",
        "was",
        "on",
        "by",
        "every",
        "person",
        "must",
    ],
    "ru": [
        "пытки",
        "предупреждение",
        "задержание",
        "права",
        "адвокат",
        "жалоба",
        "наблюдение",
        "посещение",
        "тюрьма",
        "милиция",
        "омбудсмен",
        "доклад",
        "суд",
        "врач",
        "семья",
        "горячая",
        "линия",
        "регион",
        "Бишкек",
        "Ош",
        "Нарын",
        "закон",
        "проверка",
        "договор",
        "комитет",
        "доказательства",
        "безопасность",
        "достоинство",
        "помощь",
        "и",
        "в",
        "на",
        "с",
        "по",
        "для",
        "каждый",
        "человек",
        "должен",
        "был",
    ],
    "ky": [
        "кыйноо",
        "алдын",
        "алуу",
        "кармоо",
        "укуктар",
        "адвокат",
        "арыз",
        "байкоо",
        "баруу",
        "түрмө",
        "милиция",
        "Акыйкатчы",
        "баяндама",
        "сот",
        "дарыгер",
        "үй-бүлө",
        "ишеним",
        "телефону",
        "аймак",
        "Бишкек",
        "Ош",
        "Нарын",
        "мыйзам",
        "текшерүү",
        "келишим",
        "комитет",
        "далил",
        "коопсуздук",
        "кадыр-барк",
        "жардам",
        "жана",
        "менен",
        "үчүн",
        "ар",
        "бир",
        "адам",
        "керек",
        "болгон",
    ],
}


def _sentence(rng: random.Random, words: list[str]) -> str:
    s = " ".join(rng.choice(words) for _ in range(rng.randint(8, 18)))
    return s[0].upper() + s[1:] + "."


def write_corpus(root: Path, articles: int = ARTICLES, seed: int = 1) -> Path:
    """Write content/<lang>/{pages,posts} into ``root``; returns the content path.
    The site's own data files (content/ except the language folders) are
    copied too, so the full configuration finds what its plugins read."""
    content = root / "content"
    src = ROOT / "content"
    for item in src.iterdir():
        if item.name in LANGS:
            continue
        if item.is_dir():
            shutil.copytree(item, content / item.name)
        else:
            content.mkdir(parents=True, exist_ok=True)
            shutil.copy2(item, content / item.name)
    start = datetime(2020, 1, 1, 9, 0)
    for lang in LANGS:
        rng = random.Random(f"{seed}-{lang}")
        words = WORDS[lang]
        posts = content / lang / "posts"
        pages = content / lang / "pages"
        posts.mkdir(parents=True, exist_ok=True)
        pages.mkdir(parents=True, exist_ok=True)
        (pages / "index.md").write_text(
            f"Title: {' '.join(words[:3])}\nTemplate: home\n\n" + _sentence(rng, words) + "\n",
            encoding="utf-8",
        )
        (pages / "about.md").write_text(
            f"Title: {' '.join(words[3:5])}\nMenu_order: 90\n\n"
            + "\n\n".join(_sentence(rng, words) for _ in range(5))
            + "\n",
            encoding="utf-8",
        )
        for i in range(1, articles + 1):
            name = f"post-{i:04d}"
            date = start + timedelta(hours=13 * i)
            other = f"post-{(i % articles) + 1:04d}.md"
            paragraphs = []
            for _ in range(4):
                paragraphs.append(" ".join(_sentence(rng, words) for _ in range(rng.randint(3, 6))))
            body = (
                f"{paragraphs[0]}\n\n## {_sentence(rng, words)[:-1]}\n\n{paragraphs[1]}\n\n"
                + "".join(f"- {_sentence(rng, words)}\n" for _ in range(3))
                + f"\n{paragraphs[2]} [{words[0]}]({{filename}}{other})\n\n"
                + f"> {_sentence(rng, words)}\n\n{paragraphs[3]}\n"
            )
            (posts / f"{name}.md").write_text(
                f"Title: {_sentence(rng, words)[:-1]} {i}\nDate: {date:%Y-%m-%d %H:%M}\n"
                f"Tags: {rng.choice(words)}, {rng.choice(words)}\n"
                f"Summary: {_sentence(rng, words)}\n\n{body}",
                encoding="utf-8",
            )
    return content
