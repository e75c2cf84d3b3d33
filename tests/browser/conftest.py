"""The Playwright tier: opt-in with --browser; Debian's Chromium, never a download."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:  # Playwright is imported only when a browser test runs
    from playwright.sync_api import Browser, Page

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
]
TIMEOUT_MS = 30_000


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("browser") and not item.config.getoption("--browser"):
        pytest.skip("browser test: run pytest with --browser")


@pytest.fixture(scope="session")
def chromium() -> Path:
    """Debian's Chromium; asking for --browser without it is a failure, not a skip."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"--browser was given but {CHROMIUM} is missing; install it with "
            "`apt-get install -y chromium` (Playwright's own browsers are not used)",
            pytrace=False,
        )
    return CHROMIUM


@pytest.fixture(scope="module")
def browser(chromium: Path) -> Iterator[Browser]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(chromium), args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh browser context (no cookies, no session) per test."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(TIMEOUT_MS)
    yield tab
    context.close()
