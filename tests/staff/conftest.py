"""A real headless Chromium (Debian's package) driven by Playwright against the live server."""

import os
import re
import shutil
from pathlib import Path

import pytest
from django.db import transaction

from activities import services as activity_services
from activities.models import ActivityType
from communications import services as communication_services
from communications.models import QueueExternalSystem
from correspondence import services as correspondence_services
from correspondence.models import CorrespondenceSection, CorrespondenceType
from postal import services as postal_services
from postal.demo import letter_pdf
from postal.models import Letter, MailingSource, PostalAccount
from tests.smtp_sink import SmtpSink

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SCREENSHOTS = Path(os.environ.get("TEST_OUTPUT_DIR", "test-output")) / "screenshots"
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
    """Save a screenshot of the current page as step N of this test, under test-output/screenshots/."""
    folder = SCREENSHOTS / request.node.name
    folder.mkdir(parents=True, exist_ok=True)
    steps = iter(range(1, 100))

    def take(step: str) -> Path:
        path = folder / f"{next(steps):02d}-{step}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

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


def confirm_if_asked(page) -> None:
    """Answer "yes" on an action's confirmation page, when the action shows one."""
    page.wait_for_load_state()
    # The shared confirmation page carries a hidden confirm=yes and a "Yes, I'm sure" submit button.
    confirm = page.get_by_role("button", name=re.compile(r"^Yes\b"))
    if confirm.count():
        confirm.first.click()
        page.wait_for_load_state()


def run_action(page, action_label: str, *row_labels: str, confirm: bool = True) -> None:
    """On a change list: tick the rows whose link reads each label, choose the action, Go, confirm if asked."""
    for label in row_labels:
        row = page.locator("#result_list tbody tr").filter(has=page.get_by_role("link", name=label, exact=True))
        row.locator("input.action-select").check()
    page.select_option("select[name=action]", label=action_label)
    page.click("button[name=index]")
    if confirm:
        confirm_if_asked(page)


def success_messages(page) -> list[str]:
    return page.locator("ul.messagelist li.success").all_inner_texts()


def error_messages(page) -> list[str]:
    return page.locator("ul.messagelist li.error").all_inner_texts()


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on loopback (ephemeral port); every mailer sends to it."""
    sink = SmtpSink().start()
    settings.MAILERS = {"default": sink.mailer()}
    yield sink
    sink.stop()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def letter_type(db):
    kind = CorrespondenceType.objects.create(
        name="Standard letter",
        letterhead="Acme Utilities Ltd\n1 High Street\nLondon EC1A 1AA",
        closing="Yours sincerely,\n\nCustomer Services",
    )
    CorrespondenceSection.objects.create(correspondence_type=kind, key="subject", required=True, bold=True, position=1)
    CorrespondenceSection.objects.create(correspondence_type=kind, key="body", required=True, position=2)
    return kind


@pytest.fixture
def make_letter(letter_type):
    """A letter created through the service; its PDF is rendered when the creating transaction commits."""

    def make(customer, **fields):
        fields.setdefault("correspondence_type", letter_type)
        fields.setdefault("content", {"subject": "Your new tariff", "body": "Dear customer,\n\nYour tariff changes."})
        with transaction.atomic():
            letter = correspondence_services.create_correspondence(customer, **fields)
        letter.refresh_from_db()
        return letter

    return make


@pytest.fixture
def make_queue_entry(db):
    """A pending queue entry, made as the product makes them: by completing a communication for an external system."""
    system = QueueExternalSystem.objects.create(name="CONAX Mail message", alternative_code="CW5 MAIL")

    def make(contact, subject="Hello"):
        communication = communication_services.create_communication(
            is_test=False,
            contact=contact,
            direction="OUTGOING",
            media="SMS",
            subject=subject,
            content="Dear customer",
            to="+35799000000",
            state="COMPLETED",
            queue_external_system=system,
        )
        return communication.queue_entries.get()

    return make


@pytest.fixture
def make_activity(db):
    """A pending activity created through the service, scheduled where the test says."""
    kind = ActivityType.objects.create(name="site visit", color="876FD5")

    def make(contact, name, scheduled_from, scheduled_to=None, team=None):
        return activity_services.create_activity(
            is_test=False,
            name=name,
            type=kind,
            contact=contact,
            scheduled_from=scheduled_from,
            scheduled_to=scheduled_to,
            assigned_team=team,
        )

    return make


@pytest.fixture
def make_postal_letters(db):
    """Letters received at the mail house in one mailing, through the service every way in uses."""
    account = PostalAccount.objects.create(code="ABC12345", name="Easymail customer")

    def make(*refs):
        uploads = [
            postal_services.LetterUpload(ref=ref, pdf=letter_pdf(ref, ["Dear customer,", "Your statement."]))
            for ref in refs
        ]
        postal_services.receive_mailing(account, uploads, is_test=False, source=MailingSource.API)
        return [Letter.objects.get(postal_account=account, ref=ref) for ref in refs]

    return make
