"""Rendering on the `pdf` queue: on create and on change, only the current revision, failures kept."""

import datetime as dt

import pytest
import time_machine
from django.test import TestCase

from config.celery import app as celery_app
from correspondence import services, tasks
from correspondence.models import Correspondence

from .helpers import API, pdf_text

pytestmark = pytest.mark.django_db


def test_creating_renders_and_marks_ready(contact, make_correspondence, media_root):
    correspondence = make_correspondence(contact)

    assert correspondence.status_names == ["ready"]
    assert correspondence.pdf_revision == correspondence.revision == 1
    assert correspondence.pdf_pages == 1
    assert (media_root / correspondence.pdf.name).read_bytes().startswith(b"%PDF-")
    change = correspondence.status_changes.get()
    assert (change.status, change.active, change.note) == ("ready", True, "PDF of revision 1 rendered")


def test_the_task_is_routed_to_the_pdf_queue():
    assert celery_app.amqp.router.route({}, "correspondence.render_pdf")["queue"].name == "pdf"


def test_a_stale_request_renders_nothing(contact, make_correspondence):
    correspondence = make_correspondence(contact)
    with TestCase.captureOnCommitCallbacks(execute=False):
        services.update_correspondence(correspondence, content={"subject": "New", "body": "New text"})

    result = services.render_correspondence(correspondence.id, revision=1)

    assert result.pdf_revision == 1 and result.ready_on is None
    rendered = services.render_correspondence(correspondence.id, revision=2)
    assert rendered.status_names == ["ready"]
    with rendered.pdf.open("rb") as stored:
        assert "New text" in pdf_text(stored.read())


def test_rendering_again_replaces_the_old_file(contact, make_correspondence, media_root):
    correspondence = make_correspondence(contact)
    old = media_root / correspondence.pdf.name

    with TestCase.captureOnCommitCallbacks(execute=True):
        services.update_correspondence(correspondence, content={"subject": "New", "body": "New text"})

    correspondence.refresh_from_db()
    assert not old.exists()
    assert (media_root / correspondence.pdf.name).exists()


def test_a_failed_rendering_is_kept_on_the_record(contact, make_correspondence, monkeypatch):
    correspondence = make_correspondence(contact, render=False)

    def broken(letter):
        raise ValueError("no fonts")

    monkeypatch.setattr(services.letters.rendering, "render_letter", broken)
    with pytest.raises(ValueError):
        services.render_correspondence(correspondence.id)

    correspondence.refresh_from_db()
    assert correspondence.render_error == "ValueError: no fonts"
    assert correspondence.status_names == []


@pytest.mark.django_db(transaction=True)
def test_a_broker_that_is_down_does_not_fail_the_request(backend, contact, letter_type, broker_down, caplog):
    body = {"correspondenceType": "Standard letter", "content": {"subject": "S", "body": "B"}}

    response = backend.post(f"{API}/customers/{contact.id}/correspondence/", body, format="json")

    assert response.status_code == 201
    assert Correspondence.objects.get().status_names == []
    assert "task.not_started name=correspondence.render_pdf" in caplog.text


def test_the_sweep_renders_what_was_never_picked_up(contact, make_correspondence):
    with time_machine.travel(dt.datetime(2026, 5, 1, 12, tzinfo=dt.UTC), tick=False):
        waiting = make_correspondence(contact, render=False)
        fresh_failure = make_correspondence(contact, render=False)
        Correspondence.objects.filter(pk=fresh_failure.pk).update(render_error="ValueError: no fonts")
    with time_machine.travel(dt.datetime(2026, 5, 1, 12, 1, tzinfo=dt.UTC), tick=False):
        assert tasks.sweep_unrendered_correspondence() == 0, "a minute is not yet idle"
    with time_machine.travel(dt.datetime(2026, 5, 1, 12, 5, tzinfo=dt.UTC), tick=False):
        assert tasks.sweep_unrendered_correspondence() == 1

    assert Correspondence.objects.get(pk=waiting.pk).status_names == ["ready"]
    assert Correspondence.objects.get(pk=fresh_failure.pk).status_names == []


def test_a_deleted_correspondence_is_skipped(contact, make_correspondence):
    correspondence = make_correspondence(contact, render=False)
    correspondence_id = correspondence.id
    services.delete_correspondence(correspondence)

    assert services.render_correspondence(correspondence_id) is None
