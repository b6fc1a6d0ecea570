"""An Initialize request is recorded as its API key's doing, on the dispatch, its letters and their status steps."""

import pytest

from accounts.history_words import acted_by, history_lines
from correspondence import tasks
from correspondence.models import DispatchedCorrespondence

pytestmark = pytest.mark.django_db

BY_THE_KEY = "API key 'test key' (correspondence initialize API)"


def test_the_dispatch_its_letters_and_their_steps_name_the_key(dispatch_one):
    dispatched = DispatchedCorrespondence.objects.get(pk=dispatch_one())

    assert [line.text for line in history_lines(dispatched.dispatch)] == [f"{BY_THE_KEY} created it"]
    assert [line.text for line in history_lines(dispatched)] == [f"{BY_THE_KEY} created it"]
    assert history_lines(dispatched.correspondence)[-1].text == f"{BY_THE_KEY} created it"
    assert {acted_by(event) for event in dispatched.status_events.all()} == {BY_THE_KEY}


def test_publishing_by_the_sweep_is_the_tasks_doing(dispatch_one, django_capture_on_commit_callbacks):
    dispatched = DispatchedCorrespondence.objects.get(pk=dispatch_one())

    with django_capture_on_commit_callbacks(execute=True):
        tasks.sweep_dispatches.apply()

    published = dispatched.status_events.get(status="Published")
    assert acted_by(published) == "the background task correspondence.sweep_dispatches"
    assert history_lines(dispatched)[0].text.startswith("the background task correspondence.sweep_dispatches changed")
