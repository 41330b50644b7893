"""The theme in a real browser (Debian's Chromium, headless, driven by
Playwright): axe-core finds no accessibility violation, the keyboard reaches
the skip link and the quick exit first, quick exit leaves for the neutral
site (with and without JavaScript), nothing overflows at 320 px, the focused
element is never hidden under the sticky exit button, and print hides the
navigation.

No request leaves the machine: every context routes requests; the neutral
site gets a stub page, and any other host is refused and fails the test."""

from __future__ import annotations

import json

import pytest
from axe_playwright_python.sync_playwright import Axe
from browser import AXE_OPTIONS

from sitekit.build import load_settings

SETTINGS = load_settings()
EXIT_URL = SETTINGS["QUICK_EXIT_URL"]
PREFIX = {"en": "/", "ru": "/ru/", "ky": "/ky/"}
EXIT_LABEL = {"en": "Exit this page", "ru": "Уйти со страницы", "ky": "Барактан чыгуу"}
# The home page and content pages that exist in every language.
PAGES = [(lang, path) for lang in PREFIX for path in ("", "about/", "staying-safe/")]
STUB = "<!DOCTYPE html><html lang='en'><title>Weather</title><p>Weather</p></html>"


class Guard:
    """Routes every request of a context: the site's own go through, the
    neutral exit site is stubbed, anything else is refused and recorded."""

    def __init__(self, base):
        self.base = base
        self.exits: list[str] = []
        self.offsite: list[str] = []
        self.errors: list[str] = []

    def route(self, route):
        url = route.request.url
        if url.startswith(self.base + "/"):
            route.continue_()
        elif url == EXIT_URL:
            self.exits.append(url)
            route.fulfill(status=200, content_type="text/html", body=STUB)
        else:
            self.offsite.append(url)
            route.abort()

    def watch(self, page):
        page.on("pageerror", lambda exc: self.errors.append(f"page error: {exc}"))
        page.on(
            "console",
            lambda msg: (
                self.errors.append(f"console {msg.type}: {msg.text}") if msg.type == "error" else None
            ),
        )
        return page


@pytest.fixture
def open_page(browser, base_url):
    """open_page(**context_options) -> (page, guard); checks on teardown that
    no other host was asked for and nothing was logged as an error (a CSP
    violation is logged as a console error)."""
    contexts, guards = [], []

    def _open(**options):
        context = browser.new_context(**options)
        guard = Guard(base_url)
        context.route("**/*", guard.route)
        contexts.append(context)
        guards.append(guard)
        return guard.watch(context.new_page()), guard

    yield _open
    for context in contexts:
        context.close()
    for guard in guards:
        assert guard.offsite == [], f"requests to other hosts: {guard.offsite}"
        assert guard.errors == [], guard.errors


def focused(page) -> dict:
    return page.evaluate("""() => { const e = document.activeElement;
        return {cls: e.className, href: e.getAttribute('href'), text: e.textContent.trim()}; }""")


@pytest.mark.parametrize("lang,path", PAGES)
def test_axe_finds_no_violations(open_page, base_url, lang, path):
    for width, height in ((1280, 800), (320, 640)):
        page, _ = open_page(viewport={"width": width, "height": height})
        page.goto(base_url + PREFIX[lang] + path)
        assert page.locator("html").get_attribute("lang") == lang
        results = Axe().run(page, options=AXE_OPTIONS)
        assert results.violations_count == 0, f"{width}px: " + results.generate_report()
        passed = {rule["id"] for rule in results.response["passes"]}
        assert {"color-contrast", "target-size", "region", "skip-link"} <= passed


def test_tab_reaches_skip_link_then_quick_exit(open_page, base_url):
    page, _ = open_page()
    page.goto(base_url + "/ru/about/")
    page.keyboard.press("Tab")
    first = focused(page)
    assert "skip-link" in first["cls"] and first["href"] == "#main"
    box = page.locator(".skip-link").bounding_box()
    assert box["x"] >= 0 and box["y"] >= 0, "the focused skip link must be on screen"
    page.keyboard.press("Tab")
    second = focused(page)
    assert "quick-exit-button" in second["cls"]
    assert second["href"] == EXIT_URL and second["text"] == EXIT_LABEL["ru"]
    # The skip link moves focus to the main content.
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_shift_three_times_leaves_with_location_replace(open_page, base_url):
    page, guard = open_page()
    page.goto(base_url + "/")
    page.goto(base_url + "/ky/staying-safe/")
    for _ in range(3):
        page.keyboard.press("Shift")
    page.wait_for_url(EXIT_URL)
    assert guard.exits == [EXIT_URL]
    # location.replace: the page left is no longer in the history, so Back
    # returns to the page before it.
    page.go_back()
    assert page.url == base_url + "/"


def test_capitals_shift_tab_and_slow_presses_do_not_leave(open_page, base_url):
    page, guard = open_page()
    page.clock.install()
    page.goto(base_url + "/about/")
    for key in ("Shift+KeyA", "Shift+KeyB", "Shift+Tab", "Shift+KeyC"):
        page.keyboard.press(key)
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    assert page.locator("[data-quick-exit]").get_attribute("data-presses") == "2"
    assert "1" in page.locator("[data-quick-exit-status]").inner_text()
    page.clock.run_for(6000)  # the count expires after 5 s
    assert page.locator("[data-quick-exit]").get_attribute("data-presses") is None
    page.keyboard.press("Shift")
    page.wait_for_timeout(300)
    assert page.url == base_url + "/about/" and guard.exits == []


def test_exit_button_blanks_the_page_before_leaving(open_page, base_url):
    page, guard = open_page()
    # When the page marks itself as leaving, it records (from inside the page,
    # before it is gone) whether its content is still visible. The record
    # goes to the origin's localStorage, which outlives the page: a console
    # message sent during the navigation can be lost. (Test code only; the
    # site's own scripts store nothing.)
    page.add_init_script("""new MutationObserver(() => {
        const root = document.documentElement;
        if (root.classList.contains('quick-exit-active')) {
            localStorage.setItem('leaving', JSON.stringify({url: location.href,
                main: getComputedStyle(document.querySelector('main')).visibility,
                header: getComputedStyle(document.querySelector('header')).visibility}));
        }
    }).observe(document, {attributes: true, subtree: true, attributeFilter: ["class"]});""")
    page.goto(base_url + "/ru/")
    page.locator(".quick-exit-button").click()
    page.wait_for_url(EXIT_URL)
    assert page.title() == "Weather" and guard.exits == [EXIT_URL]
    probe = page.context.new_page()
    probe.goto(base_url + "/404.html")
    seen = json.loads(probe.evaluate("localStorage.getItem('leaving')") or "null")
    assert seen == {"url": base_url + "/ru/", "main": "hidden", "header": "hidden"}


def test_without_javascript_the_exit_is_a_plain_link(open_page, base_url):
    page, guard = open_page(java_script_enabled=False)
    page.goto(base_url + "/ky/")
    button = page.locator(".quick-exit-button")
    assert button.is_visible()
    assert button.inner_text() == EXIT_LABEL["ky"]
    assert button.get_attribute("href") == EXIT_URL
    assert "noreferrer" in button.get_attribute("rel").split()
    button.click()
    page.wait_for_url(EXIT_URL)
    assert guard.exits == [EXIT_URL]


@pytest.mark.parametrize("lang,path", PAGES)
def test_320px_no_horizontal_scroll_and_exit_always_on_screen(open_page, base_url, lang, path):
    page, _ = open_page(viewport={"width": 320, "height": 568})
    page.goto(base_url + PREFIX[lang] + path)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    for scroll in (0, 10_000):
        page.evaluate(f"window.scrollTo(0, {scroll})")
        box = page.locator(".quick-exit-button").bounding_box()
        assert box["y"] >= 0 and box["y"] + box["height"] <= 568
        assert box["x"] >= 0 and box["x"] + box["width"] <= 320
        assert box["width"] >= 24 and box["height"] >= 24


@pytest.mark.parametrize("width,height", [(768, 1024), (1280, 720), (2560, 1440)])
def test_exit_button_on_screen_at_other_widths(open_page, base_url, width, height):
    page, _ = open_page(viewport={"width": width, "height": height})
    page.goto(base_url + "/ru/staying-safe/")
    for scroll in (0, 10_000):
        page.evaluate(f"window.scrollTo(0, {scroll})")
        box = page.locator(".quick-exit-button").bounding_box()
        assert box["y"] >= 0 and box["y"] + box["height"] <= height
        assert box["x"] + box["width"] <= width
    assert page.evaluate("window.scrollY") > 0 or height >= 1440


def test_focused_element_is_never_under_the_exit_button(open_page, base_url):
    page, _ = open_page(viewport={"width": 320, "height": 480})
    page.goto(base_url + "/staying-safe/")
    script = """() => {
        const e = document.activeElement, b = document.querySelector('.quick-exit-button');
        const r = e.getBoundingClientRect(), q = b.getBoundingClientRect();
        const overlaps = r.left < q.right && q.left < r.right && r.top < q.bottom && q.top < r.bottom;
        return {tag: e.tagName, text: e.textContent.trim().slice(0, 40), own: e === b,
                overlaps: overlaps, scrolled: window.scrollY};
    }"""
    seen, max_scroll = [], 0
    for key in ["Tab"] * 25 + ["Shift+Tab"] * 25:
        page.keyboard.press(key)
        state = page.evaluate(script)
        seen.append(state)
        max_scroll = max(max_scroll, state["scrolled"])
        if state["tag"] != "BODY" and not state["own"]:
            assert not state["overlaps"], f"after {key}: {state} is under the exit button"
    assert max_scroll > 200, "the page must scroll for this test to mean anything"
    assert page.url == base_url + "/staying-safe/", "Shift+Tab must not count as quick exit"


def test_print_hides_navigation_and_writes_out_link_addresses(open_page, base_url):
    page, _ = open_page()
    page.goto(base_url + "/npm/")
    page.emulate_media(media="print")
    for hidden in (".quick-exit", ".main-nav", ".lang-switcher", ".safety-note", ".site-footer"):
        assert not page.locator(hidden).is_visible(), hidden
    assert page.locator(".hotline").is_visible()
    after = page.evaluate("""() => { const a = document.querySelector('main a[href^="http"]');
        return [a.getAttribute('href'), getComputedStyle(a, '::after').content]; }""")
    assert after[0] in after[1]
    page.emulate_media(media="screen")
    assert page.locator(".main-nav").is_visible()


def test_reduced_motion_nothing_moves(open_page, base_url):
    page, _ = open_page(reduced_motion="reduce")
    page.goto(base_url + "/")
    moving = page.evaluate("""() => [...document.querySelectorAll('*')].filter(e => {
        const s = getComputedStyle(e);
        return s.animationName !== 'none' || parseFloat(s.transitionDuration) > 0
            || s.scrollBehavior === 'smooth'; }).map(e => e.tagName)""")
    assert moving == []
