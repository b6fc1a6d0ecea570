"""A worker that dies mid-publish or mid-notify leaves nothing half-done, and nothing goes out twice."""

import threading

import pytest
from django.db import connection

from communications.models import OutboundMessage
from correspondence import services
from correspondence.models import (
    AttachmentStatus,
    DispatchedCorrespondence,
    DispatchedCorrespondenceStatus,
    DispatchedCorrespondenceStatusEvent,
    NotificationOrder,
    NotificationState,
    SharedAttachment,
)

pytestmark = pytest.mark.django_db

NOTIFY = {"notificationTemplate": "GenericAltinnMessage"}


@pytest.fixture
def dispatched(altinn, initialize, make_person):
    people = [make_person(n, email=f"p{n}@example.com") for n in range(5)]
    initialize(altinn, [p.id_number for p in people], notification=NOTIFY)
    return DispatchedCorrespondence.objects.all()


def test_a_worker_dying_mid_publish_changes_nothing(dispatched, monkeypatch):
    def die(*args, **kwargs):
        raise SystemExit("worker killed")

    monkeypatch.setattr(DispatchedCorrespondenceStatusEvent.objects, "bulk_create", die)
    with pytest.raises(SystemExit):
        services.publish_due_correspondences()
    monkeypatch.undo()

    assert set(dispatched.values_list("status", flat=True)) == {DispatchedCorrespondenceStatus.READY_FOR_PUBLISH}
    assert not NotificationOrder.objects.filter(send_after__isnull=False).exists()

    assert services.publish_due_correspondences() == 5
    assert services.publish_due_correspondences() == 0
    assert (
        DispatchedCorrespondenceStatusEvent.objects.filter(status=DispatchedCorrespondenceStatus.PUBLISHED).count() == 5
    )


def test_a_worker_dying_mid_notify_sends_nothing_and_the_rerun_sends_each_once(dispatched, monkeypatch):
    services.publish_due_correspondences()
    real, calls = services.dispatches.notify.send_email, []

    def dies_on_the_third(**kwargs):
        calls.append(kwargs["to"])
        if len(calls) == 3:
            raise SystemExit("worker killed")
        return real(**kwargs)

    monkeypatch.setattr(services.dispatches.notify, "send_email", dies_on_the_third)
    with pytest.raises(SystemExit):
        services.send_due_notifications()
    monkeypatch.undo()

    assert not OutboundMessage.objects.exists(), "the two handed over before the crash were rolled back with it"
    assert set(NotificationOrder.objects.values_list("state", flat=True)) == {NotificationState.PENDING}

    assert services.send_due_notifications() == 5
    assert services.send_due_notifications() == 0
    assert OutboundMessage.objects.count() == 5
    assert sorted(m.recipients[0] for m in OutboundMessage.objects.all()) == [f"p{n}@example.com" for n in range(5)]


def test_a_channel_refusal_fails_that_order_only(dispatched, monkeypatch):
    services.publish_due_correspondences()
    NotificationOrder.objects.filter(pk=NotificationOrder.objects.first().pk).update(email="not an address")

    services.send_due_notifications()

    states = list(NotificationOrder.objects.values_list("state", flat=True))
    assert sorted(states) == [NotificationState.FAILED] + [NotificationState.QUEUED] * 4
    assert OutboundMessage.objects.count() == 4
    failed = NotificationOrder.objects.get(state=NotificationState.FAILED)
    assert failed.state_text.startswith("The outbound channel refused it")


def test_an_attachment_gone_before_publishing_fails_the_correspondence(altinn, initialize, upload, make_person):
    attachment_id = upload(altinn).json()["attachmentId"]
    initialize(altinn, [make_person(1).id_number], existing_attachments=[attachment_id], notification=NOTIFY)
    # Nothing in the API takes a used attachment away; an operator's fault in storage is what this guards.
    SharedAttachment.objects.filter(pk=attachment_id).update(status=AttachmentStatus.FAILED)

    services.publish_due_correspondences()

    dispatched = DispatchedCorrespondence.objects.get()
    assert dispatched.status == DispatchedCorrespondenceStatus.FAILED
    assert dispatched.status_text == "Attachments not published: report.pdf"
    assert NotificationOrder.objects.get().state == NotificationState.CANCELLED


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_hand_each_notification_over_once(dispatched, settings):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    services.publish_due_correspondences()
    barrier = threading.Barrier(2)

    def worker():
        barrier.wait()
        try:
            services.send_due_notifications()
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert OutboundMessage.objects.count() == 5
    assert sorted(m.recipients[0] for m in OutboundMessage.objects.all()) == [f"p{n}@example.com" for n in range(5)]
    assert set(NotificationOrder.objects.values_list("state", flat=True)) == {NotificationState.SENT}
