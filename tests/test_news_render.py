"""Rendering news from the cache (no network): the news page in every
language, related items under pages, sanitising, duplicates, age and count
limits, and the editors' feeds.yml checks."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_date
from conftest import ROOT, build
from helpers import parse

from sitekit.build import BuildError
from sitekit.plugins.news import render
from sitekit.plugins.news.cache import load_cache
from sitekit.plugins.news.feeds import load_feeds, validate_feeds

NOW = datetime.now(UTC).replace(microsecond=0)
BISHKEK = ZoneInfo("Asia/Bishkek")
PREFIX = {"en": "", "ru": "ru/", "ky": "ky/"}


def ago(days: float) -> str:
    return (NOW - timedelta(days=days)).isoformat()


PAGES = {
    "en": {
        "index.md": "Title: Home\nTemplate: home\n\nWelcome.\n",
        "rights.md": "Title: Your rights\nKeywords: torture, detention\nTags: custody\n\nText.\n",
        "about.md": "Title: About\n\nNo keywords here.\n",
    },
    "ru": {
        "index.md": "Title: Главная\nTemplate: home\n\nДобро пожаловать.\n",
        "rights.md": "Title: Ваши права\nKeywords: пытки, задержание\n\nТекст.\n",
        "about.md": "Title: О сайте\n\nБез ключевых слов.\n",
    },
    "ky": {
        "index.md": "Title: Башкы бет\nTemplate: home\n\nКош келиңиз.\n",
        "rights.md": "Title: Сиздин укуктарыңыз\nKeywords: кыйноо\n\nТекст.\n",
        "about.md": "Title: Сайт жөнүндө\n\nАчкыч сөздөр жок.\n",
    },
}

FEEDS_YML = """\
- name: Source A
  url: http://a.test/feed
  languages: [en]
- name: Source B
  url: http://b.test/feed
  languages: [en]
- name: Filtered
  url: http://f.test/feed
  languages: [en]
  keywords: [Kyrgyzstan]
- name: Лента
  url: http://ru.test/feed
  languages: [ru, ky]
  written_in: ru
- name: Кабар
  url: http://ky.test/feed
  languages: [ky]
"""

EVIL_SUMMARY = (
    '<p onclick="x()">Trial <b>opened</b> today.</p><script>alert(1)</script>'
    '<img src="http://tracker.test/p.gif" onerror="alert(2)">'
    '<a href="javascript:alert(3)">js</a><a href="data:text/html,x">data</a>'
    '<a href="/relative">rel</a><a href="http://ok.test/more">more</a>'
    '<iframe src="http://evil.test/"></iframe><form><input></form>'
    "<style>*{display:none}</style>"
)


def item(title, link, days, summary="", **extra):
    return dict(
        {"title": title, "link": link, "summary": summary, "published": ago(days), "seen": ago(days)}, **extra
    )


CACHE = {
    "version": 1,
    "feeds": {
        "http://a.test/feed": {
            "items": [
                item("<script>alert('t')</script>Torture trial opens", "http://a.test/1", 1, EVIL_SUMMARY),
                item("Detention centre inspected", "http://a.test/2", 2),
                item("Weather is sunny", "http://a.test/3", 0.5),
                item("Old torture story", "http://a.test/old", 400),
                item("Torture link is javascript", "javascript:alert(1)", 1),
                item("Torture monitors report", "http://a.test/4", 4),
                item("Torture without a date", "http://a.test/5", 0, published=None, seen=ago(5)),
            ]
        },
        "http://b.test/feed": {
            "items": [
                # Duplicates of Source A's newer item: the newer one is kept.
                item("Same link, other title about torture", "https://www.a.test/1/?utm_source=x", 1.2),
                item("Torture Trial Opens!", "http://b.test/dup-title", 1.3),
                item("Custody rules changed", "http://b.test/custody", 3),
            ]
        },
        "http://f.test/feed": {
            "items": [
                item("Torture in another country", "http://f.test/1", 1),
                item("Torture case in Kyrgyzstan", "http://f.test/2", 6),
            ]
        },
        "http://ru.test/feed": {
            "items": [
                item("Пытки в ИВС: возбуждено дело", "http://ru.test/1", 1),
                item("Задержание активиста в Бишкеке", "http://ru.test/2", 3),
                item("Погода на выходные", "http://ru.test/3", 1),
            ]
        },
        "http://ky.test/feed": {
            "items": [
                item("Кыйноо боюнча сот башталды", "http://ky.test/1", 2),
            ]
        },
        "http://gone.test/feed": {
            "items": [
                item("Torture item of a feed removed from feeds.yml", "http://gone.test/1", 1),
            ]
        },
    },
}

TOPIC = {"en": ["torture", "detention", "custody"], "ru": ["пытк", "задержани"], "ky": ["кыйноо", "пытк"]}
EN_EXPECTED = [
    "Torture trial opens",
    "Detention centre inspected",
    "Custody rules changed",
    "Torture monitors report",
    "Torture without a date",
]


@pytest.fixture(scope="module")
def news_site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("news-render")
    content = tmp / "content"
    for lang, pages in PAGES.items():
        for name, text in pages.items():
            path = content / lang / "pages" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        (content / lang / "posts").mkdir(parents=True, exist_ok=True)
    (tmp / "feeds.yml").write_text(FEEDS_YML, encoding="utf-8")
    (tmp / "cache.json").write_text(json.dumps(CACHE, ensure_ascii=False), encoding="utf-8")
    return build(
        tmp,
        PATH=str(content),
        NEWS_FEEDS_PATH=str(tmp / "feeds.yml"),
        NEWS_CACHE_PATH=str(tmp / "cache.json"),
        NEWS_TOPIC_KEYWORDS=TOPIC,
        NEWS_MAX_ITEMS=5,
        NEWS_RELATED_COUNT=2,
        NEWS_HOME_COUNT=2,
        NEWS_MAX_AGE_DAYS=365,
    )


def main_of(path: Path) -> str:
    return path.read_text(encoding="utf-8").split("<main", 1)[1].split("</main>", 1)[0]


def titles(path: Path) -> list[str]:
    return [
        re.sub(r"<[^>]+>", "", t).strip()
        for t in re.findall(r'<li class="news-item">\s*<a [^>]*>(.*?)</a>', main_of(path), re.S)
    ]


def test_news_page_in_every_language_with_alternates(news_site):
    assert news_site.warnings == []
    for lang, prefix in PREFIX.items():
        path = news_site.output / prefix / "news" / "index.html"
        page = parse(path)
        assert page.lang == lang
        assert set(page.alternates) == {"en", "ru", "ky", "x-default"}
        assert page.alternates[lang] == f"/{prefix}news/"
        assert page.alternates["x-default"] == "/news/"
        assert [s["lang"] for s in page.switcher] == ["en", "ru", "ky"]
        assert 'aria-current="page"' in path.read_text(encoding="utf-8")


def test_news_page_lists_topic_items_newest_first_without_duplicates(news_site):
    assert titles(news_site.output / "news" / "index.html") == EN_EXPECTED
    assert titles(news_site.output / "ru" / "news" / "index.html") == [
        "Пытки в ИВС: возбуждено дело",
        "Задержание активиста в Бишкеке",
    ]
    assert titles(news_site.output / "ky" / "news" / "index.html") == [
        "Пытки в ИВС: возбуждено дело",
        "Кыйноо боюнча сот башталды",
    ]


def test_news_items_show_source_and_date_in_the_readers_language(news_site):
    when = datetime.fromisoformat(ago(1)).astimezone(BISHKEK).date()
    ru = parse(news_site.output / "ru" / "news" / "index.html").text
    assert " ".join(f"Лента · {format_date(when, 'long', locale='ru')}".split()) in ru
    en = parse(news_site.output / "news" / "index.html").text
    assert " ".join(f"Source A · {format_date(when, 'long', locale='en')}".split()) in en
    ky_html = main_of(news_site.output / "ky" / "news" / "index.html")
    assert format_date(when, "long", locale="ky") in ky_html
    # A Russian item on a Kyrgyz page says so, for screen readers.
    assert re.search(r'<a href="http://ru.test/1" rel="noopener noreferrer nofollow" lang="ru">', ky_html)


def test_nothing_active_from_feeds_reaches_the_pages(news_site):
    for path in sorted(news_site.output.rglob("*.html")):
        body = main_of(path)
        assert "<script" not in body, path
        assert "<img" not in body and "<iframe" not in body and "<form" not in body, path
        assert "<style" not in body and "style=" not in body, path
        assert not re.search(r"\son[a-z]+\s*=", body), path
        assert "javascript:" not in body and "data:" not in body, path
        for tag in re.findall(r'<a [^>]*href="https?://[^"]*"[^>]*>', body):
            assert 'rel="noopener noreferrer nofollow"' in tag, (path, tag)
    summary = main_of(news_site.output / "news" / "index.html")
    assert "Trial <b>opened</b> today." in summary
    assert 'href="http://ok.test/more"' in summary and 'href="/relative"' not in summary


def test_related_news_under_pages(news_site):
    en = main_of(news_site.output / "rights" / "index.html")
    assert 'class="related-news"' in en
    assert titles(news_site.output / "rights" / "index.html") == EN_EXPECTED[:2]
    ru = titles(news_site.output / "ru" / "rights" / "index.html")
    assert ru == ["Пытки в ИВС: возбуждено дело", "Задержание активиста в Бишкеке"]
    assert titles(news_site.output / "ky" / "rights" / "index.html") == ["Кыйноо боюнча сот башталды"]
    for prefix in PREFIX.values():
        assert "related-news" not in main_of(news_site.output / prefix / "about" / "index.html")


def test_home_page_shows_latest_news_and_nav_links_to_news(news_site):
    assert titles(news_site.output / "index.html") == EN_EXPECTED[:2]
    for prefix in PREFIX.values():
        html = (news_site.output / prefix / "about" / "index.html").read_text(encoding="utf-8")
        assert f'<a href="/{prefix}news/">' in html


def test_tags_count_as_keywords():
    page = type("P", (), {"keywords": "torture, detention", "tags": ["custody"]})()
    assert render.page_keywords(page) == ["torture", "detention", "custody"]


def test_keyword_matching_follows_word_starts_and_russian_endings():
    def it(title):
        return render.NewsItem(title, "http://x/", "", "s", "ru", None, None, text=render.fold(title))

    assert render.matches(it("Жестокого обращения в СИЗО"), ["жестокое обращение"], "ru")
    assert render.matches(it("Пыток не было"), ["пыток"], "ru")
    assert render.matches(it("Сообщили о пытках"), ["пытки"], "ru")
    assert not render.matches(it("Попытка взлома"), ["пытк"], "ru")
    assert render.matches(it("Tortured in custody"), ["torture"], "en")
    assert not render.matches(it("Distortion"), ["tort"], "en")


def test_collect_items_drops_old_duplicate_unsafe_and_unlisted():
    feeds = load_feeds_from_text(FEEDS_YML)
    items = render.collect_items(feeds, CACHE, "en", now=NOW, max_age_days=365)
    names = [i.title for i in items]
    assert "Old torture story" not in names
    assert "Torture link is javascript" not in names
    assert "Same link, other title about torture" not in names
    assert "Torture Trial Opens!" not in names
    assert "Torture in another country" not in names
    assert "Torture case in Kyrgyzstan" in names
    assert not any("removed from feeds.yml" in n for n in names)
    assert [i.sort_key for i in items] == sorted((i.sort_key for i in items), reverse=True)
    assert len(render.topic_items(items, TOPIC["en"], "en", 3)) == 3


def load_feeds_from_text(text, tmp=Path("/tmp")):
    import tempfile

    with tempfile.NamedTemporaryFile("w", suffix=".yml", delete=False, encoding="utf-8") as fh:
        fh.write(text)
    try:
        return load_feeds(fh.name, ["en", "ru", "ky"])
    finally:
        Path(fh.name).unlink()


def test_bundled_feeds_and_sample_cache_give_news_in_every_language(site):
    from pelicanconf import NEWS_CACHE_PATH, NEWS_FEEDS_PATH, NEWS_TOPIC_KEYWORDS

    feeds = load_feeds(NEWS_FEEDS_PATH, ["en", "ru", "ky"])
    assert {f.name for f in feeds} >= {"24.kg", "AKIpress", "Kabar", "Kloop", "UN News"}
    cache = load_cache(NEWS_CACHE_PATH)
    assert cache.get("sample") is True
    assert all(i.get("sample") for s in cache["feeds"].values() for i in s["items"])
    when = datetime(2026, 11, 23, tzinfo=UTC)  # when the sample was written
    for lang in PREFIX:
        items = render.collect_items(feeds, cache, lang, now=when)
        assert render.topic_items(items, NEWS_TOPIC_KEYWORDS[lang], lang, 50), lang
        assert (site.output / PREFIX[lang] / "news" / "index.html").is_file()
    assert site.warnings == []


FEEDS_WITH_MISTAKES = """\
- name: Good
  url: https://good.test/feed
  languages: [en]
- name: Good
  url: ftp://bad.test/feed
  languages: [fr]
  colour: red
- url: https://good.test/feed
  languages: ru
- just a string
"""


def test_validate_feeds_names_file_line_entry_and_field(tmp_path):
    path = tmp_path / "feeds.yml"
    path.write_text(FEEDS_WITH_MISTAKES, encoding="utf-8")
    errors = [str(e) for e in validate_feeds(path, ["en", "ru", "ky"])]
    assert (
        f"{path}:7: [Good] colour: unknown field; the fields are keywords, languages, name, url, written_in"
        in errors
    )
    assert any(e.startswith(f"{path}:4: [Good] name: already used by the feed on line 1") for e in errors)
    assert any(e.startswith(f"{path}:5: [Good] url: 'ftp://bad.test/feed' is not an http") for e in errors)
    assert any(
        e.startswith(f"{path}:6: [Good] languages: 'fr' is not a language of this site") for e in errors
    )
    assert any(e.startswith(f"{path}:8: [#3] name: required") for e in errors)
    assert any(e.startswith(f"{path}:8: [#3] url: the same feed is already listed on line 1") for e in errors)
    assert any(e.startswith(f"{path}:10: [#4] feed: each feed is a mapping") for e in errors)
    assert len(errors) == 7, errors
    assert validate_feeds(ROOT / "content" / "data" / "feeds.yml", ["en", "ru", "ky"]) == []


def test_a_mistake_in_feeds_yml_stops_the_build(tmp_path):
    path = tmp_path / "feeds.yml"
    path.write_text("- name: X\n  url: javascript:alert(1)\n  languages: [en]\n", encoding="utf-8")
    with pytest.raises(BuildError, match=r"feeds.yml:2: \[X\] url: 'javascript:alert\(1\)'"):
        build(tmp_path, NEWS_FEEDS_PATH=str(path), NEWS_CACHE_PATH=str(tmp_path / "c.json"))


def test_unreadable_cache_is_a_warning_not_a_failure(tmp_path):
    cache = tmp_path / "cache.json"
    cache.write_text("{not json", encoding="utf-8")
    result = build(tmp_path, NEWS_CACHE_PATH=str(cache))
    assert any("cache" in w and "unreadable" in w for w in result.warnings), result.warnings
    assert "No news yet." in (result.output / "news" / "index.html").read_text(encoding="utf-8")
