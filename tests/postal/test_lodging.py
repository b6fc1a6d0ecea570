"""Lodging: Received letters are handed to the mail house; the simulator lodges after its delay."""

import threading
from datetime import timedelta

import pytest
import time_machine
from django.db import connection, transaction

from postal import services, tasks
from postal.mailhouse import MailHouse, MailHouseRefused
from postal.models import Letter, LetterStatus

START = 1_750_000_000


class RefusingMailHouse(MailHouse):
    """A carrier that takes nothing, to show what a refusal does."""

    def lodge(self, letter, now):
        raise MailHouseRefused("the carrier is closed")

    def returned_letters(self, now):
        return []


@pytest.fixture(autouse=True)
def one_minute_in_production(settings):
    settings.POSTAL_SIMULATOR_LODGE_AFTER = timedelta(seconds=60)


@pytest.mark.django_db
def test_a_letter_is_lodged_once_the_simulator_has_produced_it(postal_account, make_mailing):
    with time_machine.travel(START, tick=False):
        make_mailing(postal_account, ["myref1"])
    with time_machine.travel(START + 59, tick=False):
        assert tasks.lodge_letters.delay().get() == {"in_production": 1}
    assert Letter.objects.get().status == LetterStatus.RECEIVED

    with time_machine.travel(START + 60, tick=False):
        assert tasks.lodge_letters.delay().get() == {"lodged": 1}

    letter = Letter.objects.get()
    assert letter.status == LetterStatus.LODGED
    assert int(letter.lodged_on.timestamp()) == START + 60
    assert (letter.transport, str(letter.price)) == ("POST", "1.83")


@pytest.mark.django_db
def test_a_lodged_letter_is_not_lodged_again(postal_account, make_mailing):
    with time_machine.travel(START, tick=False):
        make_mailing(postal_account, ["myref1"])
    with time_machine.travel(START + 120, tick=False):
        services.lodge_due_letters()
    with time_machine.travel(START + 600, tick=False):
        assert services.lodge_due_letters() == {}

    assert int(Letter.objects.get().lodged_on.timestamp()) == START + 120


@pytest.mark.django_db
def test_cancelled_letters_are_not_lodged(postal_account, make_mailing):
    with time_machine.travel(START, tick=False):
        make_mailing(postal_account, ["myref1"])
    services.cancel_letter(Letter.objects.get())
    with time_machine.travel(START + 120, tick=False):
        services.lodge_due_letters()

    assert Letter.objects.get().status == LetterStatus.CANCELLED


@pytest.mark.django_db
def test_an_upload_is_lodged_as_soon_as_it_is_committed(
    postal_account, make_mailing, settings, django_capture_on_commit_callbacks
):
    settings.POSTAL_SIMULATOR_LODGE_AFTER = timedelta(0)

    with django_capture_on_commit_callbacks(execute=True):
        make_mailing(postal_account, ["myref1"])

    assert Letter.objects.get().status == LetterStatus.LODGED


@pytest.mark.django_db
def test_a_refused_letter_with_no_other_transport_is_returned(postal_account, make_mailing, settings):
    settings.POSTAL_MAIL_HOUSE = "tests.postal.test_lodging.RefusingMailHouse"
    make_mailing(postal_account, ["myref1"])

    assert services.lodge_due_letters() == {"returned": 1}

    letter = Letter.objects.get()
    assert letter.status == LetterStatus.RETURNED
    assert letter.last_error == "POST: the carrier is closed"


@pytest.mark.django_db
def test_test_mode_letters_never_reach_the_configured_carrier(postal_account, make_mailing, settings):
    settings.POSTAL_MAIL_HOUSE = "tests.postal.test_lodging.RefusingMailHouse"
    with time_machine.travel(START, tick=False):
        make_mailing(postal_account, ["sandbox"], is_test=True)
    with time_machine.travel(START + 60, tick=False):
        services.lodge_due_letters()

    assert Letter.objects.get().status == LetterStatus.LODGED


@pytest.mark.django_db(transaction=True)
def test_a_letter_another_worker_holds_is_skipped_not_lodged_twice(postal_account, make_mailing):
    with time_machine.travel(START, tick=False):
        make_mailing(postal_account, ["held", "free"])
    held = Letter.objects.get(ref="held")
    locked, release = threading.Event(), threading.Event()

    def other_worker():
        with transaction.atomic():
            Letter.objects.select_for_update().get(pk=held.pk)
            locked.set()
            release.wait(10)
        connection.close()

    worker = threading.Thread(target=other_worker)
    worker.start()
    locked.wait(10)
    try:
        with time_machine.travel(START + 60, tick=False):
            outcomes = services.lodge_due_letters()
    finally:
        release.set()
        worker.join()

    assert outcomes == {"lodged": 1}
    assert dict(Letter.objects.values_list("ref", "status")) == {"held": "Received", "free": "Lodged"}


@pytest.mark.django_db(transaction=True)
def test_an_upload_is_stored_even_when_the_broker_is_down(jsonrpc, postal_account, pdf, broker_down, caplog):
    import base64

    letter = {"ref": "myref1", "pdf": base64.b64encode(pdf).decode()}

    response = jsonrpc.call("upload_mailing", {"account": "ABC12345", "letters": [letter]})

    assert response.status_code == 200
    assert Letter.objects.get().status == LetterStatus.RECEIVED
    assert "task.not_started name=postal.lodge_letters" in caplog.text
