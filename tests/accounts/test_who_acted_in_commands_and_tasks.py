"""A management command and a Celery task act as themselves, by name, for the whole of their work."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.actors import SYSTEM, current_actor
from accounts.history_words import acted_by, history_lines
from accounts.models import ApiKey
from communications.models import Communication
from correspondence import tasks

pytestmark = pytest.mark.django_db


def test_the_purge_command_anonymises_the_record_and_its_earlier_snapshots(make_communication):
    communication = make_communication(subject="Your bill", content="Your bill for March is 42.00 EUR.")
    Communication.objects.filter(pk=communication.pk).update(created_on=timezone.now() - timedelta(days=400))

    call_command("purge", stdout=StringIO(), stderr=StringIO())

    assert history_lines(communication)[0].text == "the command purge anonymised it"
    assert set(communication.history.values_list("subject", "content")) == {("", "")}
    assert current_actor() == SYSTEM


def test_a_key_made_by_the_command_is_the_commands_doing():
    call_command("create_api_key", "billing system", "--scopes", "backoffice.read", stdout=StringIO())

    key = ApiKey.objects.get(name="billing system")
    assert [line.text for line in history_lines(key)] == ["the command create_api_key created it"]


def test_a_task_records_its_own_name(contact, make_correspondence):
    correspondence = make_correspondence(contact, render=False)

    tasks.render_correspondence_pdf.apply(args=(str(correspondence.id),))

    ready = correspondence.status_changes.get(status="ready")
    assert (ready.note, acted_by(ready)) == (
        "PDF of revision 1 rendered",
        "the background task correspondence.render_pdf",
    )
    assert history_lines(correspondence)[0].text.startswith("the background task correspondence.render_pdf changed")
    assert current_actor() == SYSTEM
