"""Reach (plugins/reach): link previews, share links, posters, the rights
card and robots.txt, read from real builds; the drawing, its cache and the
link building as plain functions."""

from __future__ import annotations

import hashlib
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml
from conftest import FIXTURE_CONTENT, ROOT, build
from helpers import html_files, lang_of, parse, url_to_file
from PIL import Image

from sitekit.build import BuildError, load_settings
from sitekit.plugins import reach
from sitekit.plugins.reach import images

PREFIX = {"en": "", "ru": "ru/", "ky": "ky/"}
LOCALE = {"en": "en_GB", "ru": "ru_RU", "ky": "ky_KG"}
DEV_ROOT = "http://localhost:8000"
PUB_ROOT = "https://example.org/prevention"
EVENTS = ROOT / "tests" / "fixture_events" / "content"
# The header's number, chosen in hotline.yml from contacts.yml.
HOTLINE = yaml.safe_load((ROOT / "content" / "data" / "hotline.yml").read_text(encoding="utf-8"))["header"]


class MetaParser(HTMLParser):
    """<meta property/name> of the head, in order, and the share block's links."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.meta: list[tuple[str, str]] = []
        self.share_hrefs: list[str] = []
        self.copy_value = None
        self._in_share = False

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "meta" and (
            a.get("property", "").startswith("og:") or a.get("name", "").startswith("twitter:")
        ):
            self.meta.append((a.get("property") or a.get("name"), a.get("content", "")))
        if tag == "ul" and "share-links" in a.get("class", ""):
            self._in_share = True
        elif self._in_share and tag == "a":
            self.share_hrefs.append(a["href"])
        elif self._in_share and tag == "input":
            self.copy_value = a.get("value")

    def handle_endtag(self, tag):
        if tag == "ul":
            self._in_share = False

    def one(self, name: str) -> str:
        values = [v for k, v in self.meta if k == name]
        assert len(values) == 1, f"{name}: {values}"
        return values[0]

    def all(self, name: str) -> list[str]:
        return [v for k, v in self.meta if k == name]


def meta(path: Path) -> MetaParser:
    parser = MetaParser()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def file_for(output: Path, url: str, root: str) -> Path:
    assert url.startswith(root + "/"), url
    rel = url[len(root) + 1 :]
    target = output / rel
    return target / "index.html" if rel == "" or rel.endswith("/") else target


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def public_pages(output: Path) -> list[Path]:
    return [p for p in html_files(output) if p.name != "404.html"]


# ---------------------------------------------------------------- Open Graph on the built site


@pytest.mark.parametrize("which,root", [("site", DEV_ROOT), ("published_site", PUB_ROOT)])
def test_every_page_has_open_graph_tags_with_an_image_of_the_stated_size(which, root, request):
    output = request.getfixturevalue(which).output
    pages = public_pages(output)
    assert len(pages) > 50
    sizes: dict[Path, tuple[int, int]] = {}
    for path in pages:
        lang = lang_of(output, path)
        m = meta(path)
        page = parse(path)
        assert m.one("og:title").strip(), path
        assert m.one("og:description").strip(), path
        assert m.one("og:site_name").strip(), path
        assert m.one("og:type") in ("article", "website"), path
        # og:url: this page's own address, absolute.
        url = m.one("og:url")
        self_url = page.alternates[lang]
        assert url == (self_url if self_url.startswith("http") else DEV_ROOT + self_url), path
        assert file_for(output, url, root) == path, path
        # og:locale and one og:locale:alternate per translation.
        assert m.one("og:locale") == LOCALE[lang], path
        others = {LOCALE[code] for code in page.alternates if code not in ("x-default", lang)}
        assert sorted(m.all("og:locale:alternate")) == sorted(others), path
        # The image: on this site, there, and as large as the tags say.
        image_url = m.one("og:image")
        image = file_for(output, image_url, root)
        assert image.is_file(), f"{path}: {image_url}"
        if image not in sizes:
            with Image.open(image) as picture:
                assert picture.format == "PNG"
                sizes[image] = picture.size
        assert sizes[image] == (int(m.one("og:image:width")), int(m.one("og:image:height"))), path
        assert sizes[image] == (1200, 630), path
        assert m.one("og:image:type") == "image/png"
        assert m.one("og:image:alt").strip(), path
        assert m.one("twitter:card") == "summary_large_image", path


def test_information_pages_and_events_have_their_own_image_others_the_default(site):
    out = site.output
    for lang, prefix in PREFIX.items():
        root = DEV_ROOT + ("/" + prefix.rstrip("/") if prefix else "")
        default = meta(out / prefix / "posts" / "index.html").one("og:image")
        assert default.startswith(f"{root}/share/site-"), default
        for listing in ("events/index.html", "news/index.html", "search/index.html"):
            assert meta(out / prefix / listing).one("og:image") == default, listing
        seen = {default}
        for rel in ("rights/index.html", "legal-help/index.html", "about/index.html", "index.html"):
            own = meta(out / prefix / rel).one("og:image")
            assert own.startswith(f"{root}/share/") and own not in seen, (lang, rel, own)
            seen.add(own)
        events = sorted((out / prefix / "events").glob("2027-*/index.html"))
        assert events
        for path in events:
            own = meta(path).one("og:image")
            assert own.startswith(f"{root}/share/event-{path.parent.name}-"), own
            assert own not in seen
            seen.add(own)
        # Posts use the language's default card.
        for path in (out / prefix / "posts").glob("*/index.html"):
            assert meta(path).one("og:image") == default, path


def test_russian_and_kyrgyz_images_differ_from_the_english_one(site):
    out = site.output

    def image(prefix, rel):
        return file_for(out, meta(out / prefix / rel).one("og:image"), DEV_ROOT)

    for rel in (
        "rights/index.html",
        "about/index.html",
        "posts/index.html",  # the default card
        "events/2027-06-26-bishkek-round-table/index.html",
        "events/2027-06-legal-consultations-osh-0621/index.html",
    ):
        en, ru, ky = (digest(image(PREFIX[lang], rel)) for lang in ("en", "ru", "ky"))
        assert len({en, ru, ky}) == 3, rel


def test_published_site_names_its_absolute_addresses(published_site):
    m = meta(published_site.output / "ru" / "rights" / "index.html")
    assert m.one("og:url") == f"{PUB_ROOT}/ru/rights/"
    assert m.one("og:image").startswith(f"{PUB_ROOT}/ru/share/rights-")
    event = "events/2027-06-26-bishkek-round-table/"
    poster = published_site.output / "ky" / event / "poster" / "index.html"
    assert f"{PUB_ROOT}/ky/{event}" in parse(poster).text


# ---------------------------------------------------------------- share images: drawing and cache


def test_rebuild_with_no_change_draws_nothing_and_a_new_title_draws_one(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    cache = tmp_path / "cache"
    # The language runs in this process (BUILD_JOBS=1), where draws are counted.
    build(tmp_path / "one", PATH=str(content), CACHE_PATH=str(cache), BUILD_JOBS=1)
    before = images.draw_count
    again = build(tmp_path / "two", PATH=str(content), CACHE_PATH=str(cache), BUILD_JOBS=1)
    assert images.draw_count == before, "an unchanged rebuild drew share images"
    assert any((again.output / "ru" / "share").glob("rights-*.png"))
    page = content / "ru" / "pages" / "rights.md"
    page.write_text(page.read_text(encoding="utf-8").replace("Title: ", "Title: Новые ", 1), encoding="utf-8")
    build(tmp_path / "three", PATH=str(content), CACHE_PATH=str(cache), BUILD_JOBS=1)
    assert images.draw_count == before + 1


def test_a_page_can_bring_its_own_share_image(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    (content / "images").mkdir()
    Image.new("RGB", (1200, 628), "#7a1f1f").save(content / "images" / "rights-share.png")
    page = content / "en" / "pages" / "rights.md"
    head, body = page.read_text(encoding="utf-8").split("\n\n", 1)
    page.write_text(
        head + "\nShare_image: images/rights-share.png\nShare_image_alt: A red card\n\n" + body,
        encoding="utf-8",
    )
    built = build(tmp_path, PATH=str(content))
    m = meta(built.output / "rights" / "index.html")
    assert m.one("og:image") == f"{DEV_ROOT}/images/rights-share.png"
    assert (m.one("og:image:width"), m.one("og:image:height"), m.one("og:image:alt")) == (
        "1200",
        "628",
        "A red card",
    )
    assert (built.output / "images" / "rights-share.png").is_file()
    # The other languages keep their drawn image.
    assert "/ru/share/rights-" in meta(built.output / "ru" / "rights" / "index.html").one("og:image")

    page.write_text(head + "\nShare_image: images/rights-share.png\n\n" + body, encoding="utf-8")
    with pytest.raises(BuildError, match=r"rights\.md:[0-9]+: share_image_alt: missing"):
        build(tmp_path / "no-alt", PATH=str(content))
    page.write_text(
        head + "\nShare_image: images/missing.png\nShare_image_alt: x\n\n" + body, encoding="utf-8"
    )
    with pytest.raises(BuildError, match=r"rights\.md:[0-9]+: share_image: images/missing\.png: no such"):
        build(tmp_path / "missing", PATH=str(content))


# ---------------------------------------------------------------- share links


def test_every_page_offers_share_links_that_load_nothing(site):
    for path in public_pages(site.output):
        m = meta(path)
        if "status" in path.relative_to(site.output).parts:
            continue
        hrefs = m.share_hrefs
        assert len(hrefs) == 3, path
        page_url = m.one("og:url")
        title = m.one("og:title")
        for href in hrefs:
            parts = urlsplit(href)
            assert (parts.scheme, parts.netloc) in (("https", "t.me"), ("https", "wa.me"), ("mailto", "")), (
                href
            )
            decoded = unquote(parts.query)
            assert page_url in decoded and title in decoded, (path, href)
            # Nothing else is in the query: only the address and the title.
            rest = decoded
            for word in ("url=", "text=", "subject=", "body=", page_url, title, "&", " "):
                rest = rest.replace(word, "")
            assert rest == "", (path, href, rest)
        assert m.copy_value == page_url, path
        text = path.read_text(encoding="utf-8")
        assert 'rel="noopener noreferrer nofollow"' in text
    assert "share-links" not in (site.output / "404.html").read_text(encoding="utf-8")


# ---------------------------------------------------------------- robots.txt


def test_robots_txt_development_build_hides_only_the_status_pages(site):
    text = (site.output / "robots.txt").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0] == "User-agent: *"
    disallowed = [line.split(":", 1)[1].strip() for line in lines if line.startswith("Disallow:")]
    assert disallowed == ["/status/translations/", "/ru/status/translations/", "/ky/status/translations/"]
    for path in disallowed:
        assert (site.output / path.lstrip("/") / "index.html").is_file(), path
    assert f"Sitemap: {DEV_ROOT}/sitemap.xml" in lines
    assert not (site.output / "ru" / "robots.txt").exists()


def test_robots_txt_published_build_disallows_nothing_and_names_the_sitemap(published_site):
    out = published_site.output
    lines = (out / "robots.txt").read_text(encoding="utf-8").splitlines()
    assert lines == ["User-agent: *", "Disallow:", "", f"Sitemap: {PUB_ROOT}/sitemap.xml"]
    assert (out / "sitemap.xml").is_file()


# ---------------------------------------------------------------- posters


def poster_text(path: Path) -> str:
    return parse(path).text


def test_every_event_has_a_poster_in_each_of_its_languages(site):
    out = site.output
    hotline = HOTLINE["phone"]
    count = 0
    for lang, prefix in PREFIX.items():
        for event_page in sorted((out / prefix / "events").glob("2027-*/index.html")):
            poster = event_page.parent / "poster" / "index.html"
            assert poster.is_file(), poster
            count += 1
            event = parse(event_page)
            text = poster_text(poster)
            title = re.search(r"<h1[^>]*>(.*?)</h1>", event_page.read_text(encoding="utf-8"), re.S).group(1)
            assert parse_text(title) in text
            when = re.search(
                r'<dd><time datetime="[^"]+">(.*?)</time>', event_page.read_text(encoding="utf-8")
            )
            assert parse_text(when.group(1)) in text, poster
            assert hotline in text, poster
            html = poster.read_text(encoding="utf-8")
            assert '<svg aria-hidden="true"' in html and 'role="img"' in html
            # Linked from the event page.
            assert f'href="/{prefix}events/{event_page.parent.name}/poster/"' in event_page.read_text(
                encoding="utf-8"
            )
            assert event.lang == lang
    # Schedule rows exist in every language; the Naryn training has no Kyrgyz file.
    assert (out / "ru" / "events" / "2027-06-18-naryn-training" / "poster" / "index.html").is_file()
    assert not (out / "ky" / "events" / "2027-06-18-naryn-training" / "poster").exists()
    assert count >= 25


def parse_text(fragment: str) -> str:
    from html import unescape

    return " ".join(unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


@pytest.fixture(scope="module")
def events_site(tmp_path_factory):
    return build(
        tmp_path_factory.mktemp("reach-events"), PATH=str(EVENTS), EVENTS_NOW="2027-06-21T12:00:00+06:00"
    )


def test_cancelled_poster_says_so_across_the_top(events_site):
    words = {"en": "Cancelled", "ru": "Отменено", "ky": "Жокко чыгарылды"}
    for lang, prefix in PREFIX.items():
        html = (
            events_site.output / prefix / "events" / "consultations-batken-1" / "poster" / "index.html"
        ).read_text(encoding="utf-8")
        sheet = html.split('class="print-sheet poster is-cancelled">', 1)[1]
        first = re.search(r"<p class=\"poster-status\">(.*?)</p>", sheet, re.S)
        assert first and sheet.lstrip().startswith('<p class="poster-status">'), lang
        assert words[lang] in first.group(1), lang
    scheduled = (events_site.output / "events" / "consultations-osh-1" / "poster" / "index.html").read_text(
        encoding="utf-8"
    )
    assert "poster-status" not in scheduled


def test_poster_qr_target_is_the_event_page_in_its_language(events_site):
    for prefix in PREFIX.values():
        html = (
            events_site.output / prefix / "events" / "consultations-osh-1" / "poster" / "index.html"
        ).read_text(encoding="utf-8")
        assert f"{DEV_ROOT}/{prefix}events/consultations-osh-1/" in parse_text(html)


# ---------------------------------------------------------------- the rights card


def test_rights_card_in_every_language_with_the_numbers_from_the_data(site):
    for lang, prefix in PREFIX.items():
        rights = site.output / prefix / "rights" / "index.html"
        card = site.output / prefix / "rights" / "card" / "index.html"
        assert card.is_file()
        assert f'href="/{prefix}rights/card/"' in rights.read_text(encoding="utf-8")
        html = card.read_text(encoding="utf-8")
        sheet = html.split('<article class="print-sheet card">', 1)[1].split("</article>", 1)[0]
        assert sheet.count('class="card-panel') == 4
        assert f'href="tel:{HOTLINE["phone"]}"' in sheet
        assert HOTLINE["label"][lang] in parse_text(sheet)
        # The rights page's first three sections that fit a panel, without
        # their links; the one too long for a panel is named on screen.
        source = (ROOT / "content" / lang / "pages" / "rights.md").read_text(encoding="utf-8")
        headings = re.findall(r"^## (.+)$", source, re.M)
        on_card = re.findall(r"<h2>(.*?)</h2>", sheet.split('class="card-panel card-p2"', 1)[1])
        assert on_card == [headings[0], *headings[2:4]], (lang, on_card)
        hint = html.split('<div class="print-hint">', 1)[1].split("</div>", 1)[0]
        assert headings[1] in parse_text(hint), lang
        assert '<a href="/' not in sheet, "links are dropped on paper"
        assert parse(card).lang == lang


def test_declared_paths_are_the_written_card_and_robots_txt(site):
    declared = reach.declared_paths(load_settings())
    assert declared == {
        "en": {"rights/card/", "robots.txt"},
        "ru": {"rights/card/"},
        "ky": {"rights/card/"},
    }
    for lang, paths in declared.items():
        for path in paths:
            assert url_to_file(site.output, f"/{PREFIX[lang]}{path}").is_file(), (lang, path)


def test_example_events_say_so_on_their_poster_and_link_preview(events_site):
    example = {"en": "Example", "ru": "Пример", "ky": "Мисал"}
    for lang, word in example.items():
        for slug in ("example-fair", "examples-fair-2"):
            folder = events_site.output / PREFIX[lang] / "events" / slug
            poster = (folder / "poster" / "index.html").read_text(encoding="utf-8")
            assert f'<p class="poster-status is-sample" role="note"><strong>{word}</strong>:' in poster
            assert f": {word}: " in poster.split("<title>", 1)[1].split("</title>", 1)[0], (lang, slug)
            m = meta(folder / "index.html")
            assert m.one("og:title").startswith(f"{word}: "), (lang, slug)
            assert f"– {word}:" in m.one("og:image:alt"), (lang, slug)
        real = events_site.output / PREFIX[lang] / "events" / "examples-real-1"
        assert "is-sample" not in (real / "poster" / "index.html").read_text(encoding="utf-8")
        assert word not in meta(real / "index.html").one("og:title")
