"""Fixtures for the letters family: a Bearer client, a letter type, and rendered correspondence."""

import pytest
from django.test import TestCase
from rest_framework.test import APIClient

from correspondence import services
from correspondence.models import CorrespondenceSection, CorrespondenceType
from tests.smtp_sink import SmtpSink


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


class CommittingClient(APIClient):
    """Runs what a request left for after its commit (the PDF rendering), as a real request would."""

    def generic(self, *args, **kwargs):
        with TestCase.captureOnCommitCallbacks(execute=True):
            return super().generic(*args, **kwargs)


def bearer_client(key: str | None) -> APIClient:
    client = CommittingClient()
    if key:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


@pytest.fixture
def letters(api_key):
    """A client sending a live all-scopes key as `Authorization: Bearer`."""
    return bearer_client(api_key)


@pytest.fixture
def letters_test_mode(test_api_key):
    return bearer_client(test_api_key)


@pytest.fixture
def letters_with(make_api_key):
    def make(*scopes, mode="live"):
        return bearer_client(make_api_key(scopes=scopes, mode=mode))

    return make


@pytest.fixture
def letter_type(db):
    kind = CorrespondenceType.objects.create(
        name="Standard letter",
        letterhead="Acme Utilities Ltd\n1 High Street\nLondon EC1A 1AA",
        return_address="Acme Utilities Ltd, 1 High Street, London EC1A 1AA",
        closing="Yours sincerely,\n\nCustomer Services",
    )
    CorrespondenceSection.objects.create(correspondence_type=kind, key="subject", required=True, bold=True, position=1)
    CorrespondenceSection.objects.create(correspondence_type=kind, key="body", required=True, position=2)
    CorrespondenceSection.objects.create(correspondence_type=kind, key="ps", heading="P.S.", position=3)
    return kind


@pytest.fixture
def notice_type(db):
    kind = CorrespondenceType.objects.create(name="Payment reminder", show_page_numbers=False)
    CorrespondenceSection.objects.create(correspondence_type=kind, key="body", required=True)
    return kind


@pytest.fixture
def make_correspondence(letter_type):
    """Correspondence created through the service, its PDF rendered as the `pdf` queue would."""

    def make(customer, *, render=True, **fields):
        fields.setdefault("correspondence_type", letter_type)
        fields.setdefault("content", {"subject": "Your new tariff", "body": "Dear customer,\n\nYour tariff changes."})
        with TestCase.captureOnCommitCallbacks(execute=render):
            correspondence = services.create_correspondence(customer, **fields)
        correspondence.refresh_from_db()
        return correspondence

    return make


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on loopback (ephemeral port); every mailer sends to it."""
    sink = SmtpSink().start()
    settings.MAILERS = {"default": sink.mailer()}
    yield sink
    sink.stop()
