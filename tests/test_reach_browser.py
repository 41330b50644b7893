"""The printed things in a real browser (Debian's Chromium, headless, driven
by Playwright): an event's poster and the rights card each print to exactly
one A4 page of PDF with no site header, menus, exit button or share links,
and the poster's QR code, read back from the printed PDF with zbar
(pdftoppm renders the page, zbarimg decodes it), opens the event's page in
the poster's language.

No request leaves the machine: a request to any other host fails the test."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from browser import AXE_OPTIONS

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PREFIX = {"en": "/", "ru": "/ru/", "ky": "/ky/"}
DEV_ROOT = "http://localhost:8000"
# A schedule row (every language) and a Markdown event with a status.
POSTERS = [
    ("en", "events/2027-06-legal-consultations-bishkek-0607/"),
    ("ru", "events/2027-06-legal-consultations-bishkek-0607/"),
    ("ky", "events/2027-06-legal-consultations-bishkek-0607/"),
    ("ky", "events/2027-06-26-bishkek-round-table/"),
    ("en", "events/2027-06-18-naryn-training/"),
]
HIDDEN_IN_PRINT = (".site-header", ".quick-exit", ".main-nav", ".lang-switcher", ".site-footer", ".reach")


def tool(name: str) -> str:
    path = shutil.which(name)
    if not path:
        pytest.fail(f"{name} is missing: `python3 dev.py test` installs it (tasks.py TEST_TOOLS)")
    return path


@pytest.fixture
def page(browser, base_url):
    context = browser.new_context()
    offsite: list[str] = []

    def route(r):
        if r.request.url.startswith(base_url):
            r.continue_()
        else:
            offsite.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    yield page
    context.close()
    assert offsite == [], f"requests to other hosts: {offsite}"
    assert errors == [], errors


def print_pdf(page, url: str, path: Path) -> Path:
    page.goto(url)
    # Chromium's print-to-PDF with its defaults (no background graphics
    # unless the page asks for them); the page's @page rule sets the size.
    page.pdf(path=str(path), prefer_css_page_size=True)
    return path


def pdf_pages(path: Path) -> tuple[int, str]:
    info = subprocess.run([tool("pdfinfo"), str(path)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    size = re.search(r"^Page size:\s+(.*)$", info, re.M).group(1)
    return pages, size


def qr_codes(pdf: Path) -> list[str]:
    """Render the printed page at 200 dpi and decode every QR code on it."""
    stem = pdf.with_suffix("")
    subprocess.run([tool("pdftoppm"), "-r", "200", "-png", "-singlefile", str(pdf), str(stem)], check=True)
    done = subprocess.run(
        [tool("zbarimg"), "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", f"{stem}.png"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, f"zbarimg found no QR code in {pdf}: {done.stderr}"
    return [line for line in done.stdout.splitlines() if line.strip()]


def assert_print_shows_the_sheet_only(page):
    page.emulate_media(media="print")
    for selector in HIDDEN_IN_PRINT:
        for element in page.locator(selector).all():
            assert not element.is_visible(), f"{selector} shows in print"
    assert page.locator(".print-sheet").is_visible()
    page.emulate_media(media="screen")


def assert_prints_one_a4_page_with_its_qr(page, url: str, pdf: Path, target: str) -> None:
    """The page prints to one A4 page showing only its sheet, whose QR code
    opens ``target``; then leaves the page in print media."""
    pages, size = pdf_pages(print_pdf(page, url, pdf))
    assert pages == 1, f"{url}: {pages} pages"
    assert "A4" in size, size
    assert qr_codes(pdf) == [target]
    assert_print_shows_the_sheet_only(page)
    page.emulate_media(media="print")


@pytest.mark.parametrize("lang,path", POSTERS)
def test_poster_prints_on_one_a4_page_and_its_qr_opens_the_event(lang, path, page, base_url, tmp_path):
    url = f"{base_url}{PREFIX[lang]}{path}poster/"
    assert_prints_one_a4_page_with_its_qr(
        page, url, tmp_path / "poster.pdf", f"{DEV_ROOT}{PREFIX[lang]}{path}"
    )
    # Nothing is cut off at the bottom of the sheet.
    sheet = page.locator(".print-sheet")
    assert sheet.evaluate("e => e.scrollHeight <= e.clientHeight + 1"), "the poster overflows its page"


@pytest.mark.parametrize("lang", PREFIX)
def test_rights_card_prints_on_one_a4_page(lang, page, base_url, tmp_path):
    url = f"{base_url}{PREFIX[lang]}rights/card/"
    # Its QR code opens the rights page in the same language.
    assert_prints_one_a4_page_with_its_qr(
        page, url, tmp_path / "card.pdf", f"{DEV_ROOT}{PREFIX[lang]}rights/"
    )
    # No panel's text is cut off: each fits its A6 panel in print.
    overflowing = page.eval_on_selector_all(
        ".card-panel", "els => els.filter(e => e.scrollHeight > e.clientHeight + 1).map(e => e.className)"
    )
    assert overflowing == [], overflowing


def test_share_copy_shows_the_address_without_javascript(browser, base_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{base_url}/ky/rights/")
    details = page.locator("details.share-copy")
    details.locator("summary").click()
    field = details.locator("input")
    assert field.is_visible()
    assert field.input_value() == f"{DEV_ROOT}/ky/rights/"
    context.close()


@pytest.mark.parametrize("width", [1280, 320])
def test_poster_and_card_pages_are_accessible_on_screen(width, browser, base_url):
    axe = Axe()
    page = browser.new_page(viewport={"width": width, "height": 900})
    for path in (
        "/ky/events/2027-06-26-bishkek-round-table/poster/",
        "/events/2027-06-18-naryn-training/poster/",
        "/ru/rights/card/",
        "/ky/rights/",
    ):
        page.goto(base_url + path)
        violations = axe.run(page, options=AXE_OPTIONS).response["violations"]
        assert violations == [], (path, [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations])
        assert page.evaluate("document.documentElement.scrollWidth") <= width, f"{path} scrolls sideways"
    page.close()
