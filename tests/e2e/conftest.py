"""A live server on loopback and Debian's Chromium driven by Playwright."""

import os
import shutil

import pytest

CHROMIUM = os.environ.get("SOP_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


def _require_chromium():
    if shutil.which(CHROMIUM) or os.path.exists(CHROMIUM):
        return
    if os.environ.get("SOP_REQUIRE_E2E") == "1":
        pytest.fail(f"SOP_REQUIRE_E2E=1 but Chromium is not installed at {CHROMIUM}")
    pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")


@pytest.fixture
def browser():
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="en-GB", viewport={"width": 412, "height": 860})
    context.set_default_timeout(15000)
    page = context.new_page()
    yield page
    context.close()
