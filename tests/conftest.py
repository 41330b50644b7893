"""Shared fixtures: real builds of the bundled site and of a small fixture
site, each into a temporary folder, once per test session."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

from sitekit.build import build_site

ROOT = Path(__file__).resolve().parent.parent

FIXTURE_CONTENT = ROOT / "tests" / "fixture_site" / "content"


def build(tmp: Path, settings="pelicanconf.py", **overrides):
    overrides.setdefault("CACHE_PATH", str(tmp / "cache"))
    return build_site(ROOT / settings, tmp / "output", overrides)


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """The bundled site, development settings."""
    return build(tmp_path_factory.mktemp("site"))


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory):
    """tests/fixture_site: small, with an untranslated page and a draft."""
    return build(tmp_path_factory.mktemp("fixture"), PATH=str(FIXTURE_CONTENT))


@pytest.fixture(scope="session")
def published_site(tmp_path_factory):
    """The bundled site, production settings, served from a sub-path."""
    return build(
        tmp_path_factory.mktemp("published"), "publishconf.py", SITEURL="https://example.org/prevention"
    )


@pytest.fixture(scope="module")
def base_url(site):
    """The bundled site served on 127.0.0.1 (browser tests)."""
    from browser import serve

    with serve(site.output) as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, headless (browser tests)."""
    from browser import chromium

    with chromium() as b:
        yield b


def pytest_collection_modifyitems(items):
    """Mark tests by what they do, so `pytest -m "not browser and not slow"`
    runs the quick set in seconds: ``browser`` drives Chromium, ``slow``
    builds a site, runs a server or a subprocess."""
    for item in items:
        try:
            source = inspect.getsource(item.function)
        except (OSError, TypeError):
            source = ""
        fixtures = set(getattr(item, "fixturenames", ()))
        if fixtures & {"browser", "open_page"} or "chromium(" in source:
            item.add_marker(pytest.mark.browser)
        elif any(name.endswith("site") for name in fixtures) or any(
            word in source for word in ("build(", "build_site(", "subprocess", "serve(", "Popen")
        ):
            item.add_marker(pytest.mark.slow)
