"""Reach (plugins/reach) as plain functions: drawing share images and their
cache, share links and absolute addresses, robots.txt, the rights card's
parts and numbers; and the QR codes of printed things (sitekit.core.qr).
The built site is tested in test_reach.py."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from sitekit.core.qr import qr_svg
from sitekit.core.site import SiteSettings
from sitekit.plugins.reach import images, links, printed


def test_image_is_drawn_once_then_taken_from_the_cache(tmp_path):
    text = images.CardText("ky", "Кыйноого жол жок", "Кармалганда сиздин укуктарыңыз")
    before = images.draw_count
    first = images.cached_image(text, tmp_path)
    assert images.draw_count == before + 1
    second = images.cached_image(text, tmp_path)
    assert images.draw_count == before + 1, "an unchanged image was drawn again"
    assert first == second and first.is_file()
    assert images.image_size(first) == (1200, 630)
    # Anything it shows changes the key: title, language, site, subtitle.
    keys = {
        images.image_key(t)
        for t in (
            text,
            images.CardText("ru", text.site, text.title),
            images.CardText("ky", text.site, text.title + "!"),
            images.CardText("ky", "Other", text.title),
            images.CardText("ky", text.site, text.title, "2027"),
        )
    }
    assert len(keys) == 5
    images.cached_image(images.CardText("ru", text.site, text.title), tmp_path)
    assert images.draw_count == before + 2


def test_many_images_are_drawn_in_threads_each_once(tmp_path):
    texts = [images.CardText("ru", "Нет пыткам", f"Консультации № {i}") for i in range(6)]
    before = images.draw_count
    paths = images.cached_images([*texts, *texts], tmp_path, workers=3)
    assert images.draw_count - before == 6 and set(paths) == set(texts)
    assert all(p.is_file() and images.image_size(p) == (1200, 630) for p in paths.values())
    assert images.cached_images(texts, tmp_path, workers=3) == paths
    assert images.draw_count - before == 6
    assert not list(tmp_path.glob(".*")), "no partly written files left"


def test_long_titles_shrink_then_end_in_an_ellipsis():
    short_font, short = images.fit_title("Your rights", 400, 1040)
    assert short_font.size == images.TITLE_SIZES[0] and short == ["Your rights"]
    long_title = " ".join(["Кыйноолордун алдын алуу боюнча улуттук борбор"] * 6)
    font, lines = images.fit_title(long_title, 400, 1040)
    assert font.size == images.TITLE_SIZES[-1]
    assert len(lines) <= images.TITLE_MAX_LINES and lines[-1].endswith("…")
    assert all(font.getlength(line) <= 1040 for line in lines)
    # A word wider than a line is broken, not drawn off the edge.
    assert all(images._font(84).getlength(x) <= 300 for x in images.wrap("ө" * 60, images._font(84), 300))


def test_bundled_font_covers_kyrgyz_and_its_licence_is_beside_it():
    font = images._font(48)

    def glyph(char):
        return bytes(font.getmask(char))

    # A letter the font lacks is drawn as the same empty box as any other.
    missing = glyph("\u4e00")
    assert glyph("\u4e01") == missing
    for char in "өүңӨҮҢёЁ№«»–":
        assert glyph(char) != missing, char
    licence = images.FONT.parent / "OFL.txt"
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence.read_text(encoding="utf-8")
    assert images.FONT.stat().st_size < 100_000


def test_share_links_carry_the_address_and_title_only():
    url = "https://example.org/ru/rights/?a=1&b=2"
    title = "Права & «свобода» #1"
    got = {link.name: link.href for link in links.share_links(url, title)}
    assert set(got) == {"Telegram", "WhatsApp", "email"}
    tg = urlsplit(got["Telegram"])
    assert (tg.scheme, tg.netloc, tg.path) == ("https", "t.me", "/share/url")
    assert parse_qs(tg.query) == {"url": [url], "text": [title]}
    wa = urlsplit(got["WhatsApp"])
    assert (wa.netloc, wa.path) == ("wa.me", "/") and parse_qs(wa.query) == {"text": [f"{title} {url}"]}
    mail = urlsplit(got["email"])
    assert mail.scheme == "mailto" and mail.path == ""
    assert {k: v for k, v in (p.split("=", 1) for p in mail.query.split("&"))} == {
        "subject": links._q(title),
        "body": links._q(url),
    }
    assert "+" not in got["email"], "spaces must be %20 in mailto"


def test_absolute_keeps_a_sub_path_once():
    root = "http://localhost:8000/sub"
    assert links.absolute(root, "/sub/ru/rights/") == "http://localhost:8000/sub/ru/rights/"
    assert links.absolute(root, "/ru/") == "http://localhost:8000/sub/ru/"
    assert links.absolute(root, "https://x.test/a/") == "https://x.test/a/"


def test_robots_txt_with_a_sub_path_and_the_status_page_on():
    settings = {
        "PATH": "content",
        "SITEURL": "https://example.org/prevention",
        "SITE_ABSOLUTE_URL": None,
        "MAIN_LANG": "en",
        "LANGUAGES": [{"code": "en", "name": "English"}, {"code": "ru", "name": "Русский"}],
        "TRANSLATION_STATUS_PAGE": True,
    }
    text = links.robots_txt(SiteSettings.from_pelican(settings))
    assert (
        "Disallow: /prevention/status/translations/\nDisallow: /prevention/ru/status/translations/\n" in text
    )
    assert text.endswith("Sitemap: https://example.org/prevention/sitemap.xml\n")


def test_card_content_splits_at_headings_and_drops_links():
    html = (
        "<p>Intro <a href='/x/'>link</a>.</p><p>Second.</p>"
        "<h2>One</h2><ol><li>a</li></ol><h2 id='t'>Two</h2><p>b</p>"
        "<h2>Three</h2><p>c</p><h2>Four</h2><p>d</p>"
    )
    content = printed.card_content(html)
    assert content.intro == "<p>Intro link.</p>"
    assert [s.heading for s in content.sections] == ["One", "Two", "Three"]
    assert content.sections[0].html == "<ol><li>a</li></ol>"
    assert content.left_out == ["Four"]
    assert printed.card_content("<p>Only text.</p>").sections == []
    # A section longer than a panel holds is left out, and the next one fills its panel.
    long = html.replace("<p>b</p>", "<p>" + "b" * 200 + "</p>")
    content = printed.card_content(long, max_chars=100)
    assert [s.heading for s in content.sections] == ["One", "Three", "Four"]
    assert content.left_out == ["Two"]


def test_numbers_to_call_come_from_the_context_each_once():
    def pick(number, name, confirmed=None):
        tel = re.sub(r"[^0-9+]", "", number)
        return {"number": number, "tel": tel, "contact": {"name": name}, "channel": {"confirmed": confirmed}}

    context = {
        "DANGER": [pick("102", "Police"), pick("103", "Ambulance", "2026-12-01")],
        "HOTLINE": {**pick("+1 234", "Legal Aid Service"), "label": "Free legal aid"},
    }
    assert printed.numbers_to_call(context, 4) == [
        {"number": "102", "tel": "102", "label": "Police", "confirmed": None},
        {"number": "103", "tel": "103", "label": "Ambulance", "confirmed": "2026-12-01"},
        {"number": "+1 234", "tel": "+1234", "label": "Free legal aid", "confirmed": None},
    ]
    # Each number once: the header's number repeated as an emergency one.
    context["HOTLINE"] = {**pick("103", "Ambulance"), "label": "Line"}
    assert [n["tel"] for n in printed.numbers_to_call(context, 4)] == ["102", "103"]
    assert len(printed.numbers_to_call(context, 1)) == 1
    assert printed.numbers_to_call({}, 4) == []


def test_qr_svg_is_inline_markup_without_style():
    svg = qr_svg("https://example.org/ky/events/x/")
    assert svg.startswith('<svg aria-hidden="true"') and "viewBox" in svg
    assert "style" not in svg and "width=" not in svg and "<?xml" not in svg
