"""`manage.py lodge_letters`: the same sweep as the Celery task, with a summary."""

from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from postal.management.commands.lodge_letters import Command as LodgeLetters
from postal.models import Letter

pytestmark = pytest.mark.django_db


def test_lodges_the_produced_letters_and_says_what_happened(postal_account, make_mailing, settings):
    settings.POSTAL_SIMULATOR_LODGE_AFTER = timedelta(seconds=60)
    with time_machine.travel(1_750_000_000, tick=False):
        make_mailing(postal_account, ["old"])
    with time_machine.travel(1_750_000_030, tick=False):
        make_mailing(postal_account, ["new"])

    out = StringIO()
    with time_machine.travel(1_750_000_070, tick=False):
        call_command("lodge_letters", "--no-progress", stdout=out)

    assert out.getvalue().strip() == "2 letter(s) waiting: 1 in production, 1 lodged."
    assert dict(Letter.objects.values_list("ref", "status")) == {"old": "Lodged", "new": "Received"}


def test_nothing_to_do():
    out = StringIO()
    call_command("lodge_letters", "--no-progress", stdout=out)
    assert out.getvalue().strip() == "0 letter(s) waiting: nothing to do."


def test_help_mentions_the_schedule():
    assert "Celery beat" in LodgeLetters().create_parser("manage.py", "lodge_letters").format_help()
