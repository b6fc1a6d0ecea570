"""A customer's timeline: everything about them in one list, newest first, filtered by kind and paged by the
database; postal letters and emails are the customer's own."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts import services as accounts
from accounts.models import Account
from activities.models import Activity
from communications.models import Communication, OutboundMessage, OutboundStatus, QueueEntry
from correspondence import services as correspondence
from correspondence.models import Correspondence, CorrespondenceEmail
from insights.workspace.moments import moments
from insights.workspace.timeline import KIND_KEYS, kind_counts, timeline_page
from postal import services as postal
from postal.models import Letter

pytestmark = pytest.mark.django_db

NOW = timezone.now().replace(microsecond=0)


def at(model, record, minutes_ago: int, field: str = "created_on") -> None:
    model.objects.filter(pk=record.pk).update(**{field: NOW - timedelta(minutes=minutes_ago)})


@pytest.fixture
def everything(
    contact, make_account, make_communication, make_queue_entry, make_activity, make_correspondence, postal_account
):
    """One record of each kind for the contact, a minute apart: the newest is the account's suspension."""
    account = make_account(contact, is_primary=True)
    Account.history.model.objects.filter(id=account.pk).update(history_date=NOW - timedelta(minutes=70))
    call = make_communication(media="PHONE", subject="Question about the bill", state="COMPLETED", to="")
    at(Communication, call, 60)
    entry = make_queue_entry(subject="Meter reading")
    at(QueueEntry, entry, 50)
    at(Communication, entry.communication, 55)
    activity = make_activity(name="Visit the meter")
    at(Activity, activity, 40)
    letter = make_correspondence(contact)
    at(Correspondence, letter, 30)
    with TestCase.captureOnCommitCallbacks(execute=False):
        (emailed,) = correspondence.email_correspondence(letter)
    # The SMTP server accepted it: what the outbound channel's signal records.
    CorrespondenceEmail.objects.filter(pk=emailed.pk).update(
        result="sent", sent_on=NOW - timedelta(minutes=19), requested_on=NOW - timedelta(minutes=20)
    )
    posted = postal.post_correspondence(letter, postal_account, is_test=False)
    Letter.objects.filter(pk=posted.pk).update(received_on=NOW - timedelta(minutes=10))
    accounts.suspend_account(account)
    Account.history.model.objects.filter(id=account.pk, state="SUSPENDED").update(
        history_date=NOW - timedelta(minutes=5)
    )
    return {
        "account": account,
        "call": call,
        "entry": entry,
        "activity": activity,
        "letter": letter,
        "emailed": emailed,
        "posted": posted,
    }


def titles(contact, kinds=KIND_KEYS, page=1, size=25):
    return [moment.title for moment in moments(timeline_page(contact, kinds, page=page, size=size).rows)]


def test_every_kind_is_on_one_timeline_newest_first(contact, everything):
    letter, account = everything["letter"], everything["account"]
    entry = everything["entry"]

    assert titles(contact) == [
        f"Account {account.number} suspended",
        f"Standard letter {letter.number} by post",
        f"Letter {letter.number} emailed to {contact.email}",
        f"Standard letter {letter.number}",
        "Activity: Visit the meter",
        f"Queue entry {entry.number}: Meter reading",
        "Email: Meter reading",
        "Phone: Question about the bill",
        f"Account {account.number} opened",
    ]


def test_each_moment_says_what_became_of_it_and_links_to_its_page(contact, everything):
    page = {}
    for moment in moments(timeline_page(contact).rows):
        page.setdefault(moment.kind, moment)
    letter, posted = everything["letter"], everything["posted"]

    assert page["letters"].url == f"/admin/correspondence/correspondence/{letter.pk}/change/"
    assert ("PDF", f"/admin/correspondence/correspondence/{letter.pk}/pdf/") in page["letters"].links
    assert page["letters"].facts[0] == "Ready"
    assert page["emails"].facts[-1].startswith("sent on ")
    assert page["postal"].url == f"/admin/postal/letter/{posted.pk}/change/"
    assert page["postal"].facts[:2] == ["Received", "by post"]
    assert page["queue"].facts == ["Pending", "for CONAX Mail message"]
    assert page["activities"].facts[:2] == ["site visit", "Pending"]
    assert page["accounts"].tone == "warn"


def test_an_emails_delivery_is_told_in_plain_words(contact, make_communication):
    sent = make_communication(subject="Sent one", state="COMPLETED")
    bounced = make_communication(subject="Bounced one", state="COMPLETED")
    failed = make_communication(subject="Failed one", state="COMPLETED")
    OutboundMessage.objects.filter(communication=sent).update(status=OutboundStatus.SENT, sent_on=NOW)
    OutboundMessage.objects.filter(communication=bounced).update(
        status=OutboundStatus.FAILED, last_error="550 5.1.1 mailbox unavailable"
    )
    OutboundMessage.objects.filter(communication=failed).update(
        status=OutboundStatus.FAILED, last_error="Connection refused by the mail server"
    )
    Communication.objects.filter(pk=sent.pk).update(viewed_on=NOW)

    facts = {m.title: m.facts for m in moments(timeline_page(contact, ["communications"]).rows)}

    assert facts["Email: Sent one"][-2].startswith(f"Email sent to {contact.email} on ")
    assert facts["Email: Sent one"][-1].startswith("opened on ")
    assert facts["Email: Bounced one"][-1] == f"Email to {contact.email} bounced: 550 5.1.1 mailbox unavailable"
    assert facts["Email: Failed one"][-1] == f"Email to {contact.email} failed: Connection refused by the mail server"


def test_letters_of_a_linked_postal_account_are_not_the_customers(contact, make_mailing, postal_account, everything):
    postal_account.contact = contact
    postal_account.save()
    make_mailing(postal_account, ["sent-for-someone-else"])

    postal_moments = titles(contact, ["postal"])

    assert postal_moments == [f"Standard letter {everything['letter'].number} by post"]
    assert kind_counts(contact, ["postal"]) == {"postal": 1}


def test_another_customers_records_stay_off_the_timeline(contact, make_contact, make_queue_entry, everything):
    other = make_contact(first_name="Other", last_name="Person")
    make_queue_entry(contact=other, subject="Not yours")

    assert not [title for title in titles(contact) if "Not yours" in title]
    assert kind_counts(contact)["queue"] == 1


def test_filtered_by_kind_and_paged(contact, everything, make_activity):
    for n in range(4):
        at(Activity, make_activity(name=f"Call {n}"), 35 - n)

    first = timeline_page(contact, ["activities"], page=1, size=2)
    second = timeline_page(contact, ["activities"], page=2, size=2)
    third = timeline_page(contact, ["activities"], page=3, size=2)

    assert [m.title for m in moments(first.rows)] == ["Activity: Call 3", "Activity: Call 2"]
    assert first.has_next and not first.has_previous
    assert [m.title for m in moments(second.rows)] == ["Activity: Call 1", "Activity: Call 0"]
    assert [m.title for m in moments(third.rows)] == ["Activity: Visit the meter"]
    assert not third.has_next and third.has_previous
    assert titles(contact, page=3, size=4) == [
        "Activity: Visit the meter",
        f"Queue entry {everything['entry'].number}: Meter reading",
        "Email: Meter reading",
        "Phone: Question about the bill",
    ]


def test_the_page_is_one_query_whatever_the_history_holds(contact, everything, make_activity, make_communication):
    def page_queries():
        with CaptureQueriesContext(connection) as captured:
            timeline_page(contact, page=1, size=5)
        return captured.captured_queries

    before = page_queries()
    for n in range(30):
        make_activity(name=f"More {n}")
        make_communication(subject=f"More {n}", media="PHONE", to="", state="COMPLETED")

    after = page_queries()
    assert len(before) == len(after) == 1
    assert "UNION ALL" in after[0]["sql"]


def test_a_termination_says_where_the_balance_went(contact, make_contact, make_account):
    holding = make_account(contact, balance="99.99")
    taking = make_account(make_contact(), is_primary=True)

    accounts.terminate_account(holding, transfer_to=taking)

    (terminated,) = [m for m in moments(timeline_page(contact, ["accounts"]).rows) if "terminated" in m.title]
    assert terminated.title == f"Account {holding.number} terminated"
    assert terminated.facts[0] == f"99.99 EUR transferred to account {taking.number}"
    assert terminated.tone == "muted"
