"""A real headless Chromium (Debian's package) driven by Playwright against the live server."""

import os
import shutil
from pathlib import Path

import pytest
import time_machine
from django.utils import timezone

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Git-ignored; every browser test leaves its pages here at a desktop and a phone width for review.
SCREENSHOTS = Path(os.environ.get("SCREENSHOTS_DIR", Path(__file__).parent / "screenshots"))
WIDTHS = {"1440": {"width": 1440, "height": 900}, "390": {"width": 390, "height": 844}}
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        raise RuntimeError("Debian's chromium package is needed for the browser tests (apt-get install chromium).")
    return path


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, request):
    context = chromium.new_context(viewport={"width": 1366, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def screenshot(page, request):
    """Save the current page as step N of this test at 1440 and 390 px wide, under tests/staff/screenshots/."""
    folder = SCREENSHOTS / request.node.name
    folder.mkdir(parents=True, exist_ok=True)
    steps = iter(range(1, 100))

    def take(step: str) -> Path:
        number = next(steps)
        original = page.viewport_size
        for width, viewport in WIDTHS.items():
            page.set_viewport_size(viewport)
            page.screenshot(path=str(folder / f"{number:02d}-{step}-{width}.png"), full_page=True)
        page.set_viewport_size(original)
        return folder / f"{number:02d}-{step}-1440.png"

    return take


@pytest.fixture
def staff_login(page, live_server, django_user_model):
    """Log in through the admin's own login form, as a person would."""

    def login(username="staff", password="correct horse battery", superuser=True):
        if not django_user_model.objects.filter(username=username).exists():
            maker = django_user_model.objects.create_superuser if superuser else django_user_model.objects.create_user
            maker(username, f"{username}@example.com", password, **({} if superuser else {"is_staff": True}))
        page.goto(f"{live_server.url}/admin/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("input[type=submit]")
        page.wait_for_url(f"{live_server.url}/admin/")
        return page

    return login


@pytest.fixture
def at_noon():
    """Work due "later today" needs a day with hours left in it: the clock starts at today's noon and runs on."""
    noon = timezone.localtime().replace(hour=12, minute=0, second=0, microsecond=0)
    with time_machine.travel(noon, tick=True):
        yield noon
