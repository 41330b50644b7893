"""The browser harness itself: Debian's Chromium loads a built page from
127.0.0.1, in each language, and the language switcher navigates."""

from browser import chromium, serve


def test_switcher_navigates_between_languages_in_chromium(site):
    with serve(site.output) as base, chromium() as browser:
        page = browser.new_page()
        page.goto(base + "/")
        assert page.locator("html").get_attribute("lang") == "en"
        page.click("nav.lang-switcher a[hreflang=ru]")
        page.wait_for_url(base + "/ru/")
        assert page.locator("html").get_attribute("lang") == "ru"
        assert page.locator("h1").inner_text() == "Предупреждение пыток в Кыргызстане"
        page.goto(base + "/ky/no-such-page/")
        assert page.locator("html").get_attribute("lang") == "ky"
