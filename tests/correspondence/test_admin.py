"""Staff screens: the list and its filters, the PDF preview, and the actions through the services."""

import re

import pytest
from django.test import TestCase

from accounts.history_words import acted_by
from correspondence.models import Correspondence, CorrespondenceSection, CorrespondenceType

from .helpers import pdf_text

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/correspondence/correspondence/"


@pytest.mark.parametrize(
    "query",
    ["", "?status=awaiting_pdf", "?status=ready", "?status=delivered", "?status=undelivered", "?q=Smith"],
)
def test_the_list_and_its_filters_answer(staff, contact, make_correspondence, query):
    make_correspondence(contact)

    response = staff.get(CHANGELIST + query)

    assert response.status_code == 200


def test_filters_narrow_the_list(staff, make_contact, make_correspondence, notice_type):
    first, second = make_contact(), make_contact()
    letter = make_correspondence(first)
    make_correspondence(second, correspondence_type=notice_type, content={"body": "Pay"}, render=False)

    def listed(query):
        return list(staff.get(CHANGELIST + query).context["cl"].queryset.values_list("pk", flat=True))

    assert listed(f"?correspondence_type__id__exact={letter.correspondence_type_id}") == [letter.pk]
    assert listed("?status=ready") == [letter.pk]
    assert listed(f"?customer={first.pk}") == [letter.pk]
    assert len(listed(f"?correspondence_date__gte={letter.correspondence_date}")) == 2


def test_the_change_page_previews_the_pdf(staff, contact, make_correspondence):
    correspondence = make_correspondence(contact)

    page = staff.get(f"{CHANGELIST}{correspondence.pk}/change/")
    preview = staff.get(f"{CHANGELIST}{correspondence.pk}/pdf/")
    download = staff.get(f"{CHANGELIST}{correspondence.pk}/pdf/?download=1")

    assert page.status_code == 200
    assert f'href="{CHANGELIST}{correspondence.pk}/pdf/"'.encode() in page.content
    assert f'src="{CHANGELIST}{correspondence.pk}/pages/1/?revision=1"'.encode() in page.content
    picture = staff.get(f"{CHANGELIST}{correspondence.pk}/pages/1/")
    assert (picture.status_code, picture["Content-Type"]) == (200, "image/png")
    assert picture.content.startswith(b"\x89PNG")
    assert preview["Content-Type"] == "application/pdf"
    assert preview["Content-Disposition"] == 'inline; filename="correspondence-1.pdf"'
    assert preview["X-Frame-Options"] == "SAMEORIGIN"
    assert "Your tariff changes." in pdf_text(preview.content)
    assert download["Content-Disposition"] == 'attachment; filename="correspondence-1.pdf"'


def test_the_preview_of_an_unrendered_letter_says_so(staff, contact, make_correspondence):
    correspondence = make_correspondence(contact, render=False)

    response = staff.get(f"{CHANGELIST}{correspondence.pk}/pdf/")

    assert response.status_code == 404
    assert b"not rendered yet" in response.content


def test_mark_delivered_action_uses_the_service(staff, contact, make_correspondence):
    ready = make_correspondence(contact)
    waiting = make_correspondence(contact, render=False)

    response = staff.post(
        CHANGELIST,
        {"action": "mark_delivered", "confirm": "yes", "_selected_action": [ready.pk, waiting.pk]},
        follow=True,
    )

    messages = [str(m) for m in response.context["messages"]]
    assert any(m.startswith("Delivered:") for m in messages)
    assert any("not ready" in m for m in messages)
    assert Correspondence.objects.get(pk=ready.pk).status_names == ["ready", "delivered"]
    assert Correspondence.objects.get(pk=waiting.pk).delivered_on is None
    change = ready.status_changes.get(status="delivered")
    assert (change.note, acted_by(change)) == ("marked delivered", "staff in the back-office")


def test_staff_add_correspondence_through_the_service(staff, contact, letter_type):
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = staff.post(
            f"{CHANGELIST}add/",
            {
                "customer": contact.pk,
                "correspondence_type": letter_type.pk,
                "number": "",
                "correspondence_date": "2026-11-24",
                "section_subject": "From staff",
                "section_body": "Typed in the admin.\n\nOne box per section.",
                "section_ps": "",
                **inline_management_forms(),
            },
        )

    assert response.status_code == 302, response.context["adminform"].form.errors
    correspondence = Correspondence.objects.get()
    assert correspondence.number == "1"
    assert correspondence.content == {"subject": "From staff", "body": "Typed in the admin.\n\nOne box per section."}
    assert correspondence.status_names == ["ready"]


def test_staff_get_a_form_error_for_content_the_type_refuses(staff, contact, letter_type):
    response = staff.post(
        f"{CHANGELIST}add/",
        {
            "customer": contact.pk,
            "correspondence_type": letter_type.pk,
            "correspondence_date": "2026-11-24",
            "section_subject": "",
            "section_body": "No subject",
            **inline_management_forms(),
        },
    )

    assert response.status_code == 200
    assert "section_subject" in response.context["adminform"].form.errors
    assert not Correspondence.objects.exists()


def test_the_type_link_asks_for_the_customer_then_a_box_per_section(staff, contact, letter_type):
    types = staff.get("/admin/correspondence/correspondencetype/").content.decode()
    link = f"{CHANGELIST}add/?correspondence_type={letter_type.pk}"
    assert link in types

    choose = staff.get(link).content.decode()
    assert re.search(rf'<input type="radio"[^>]*value="{letter_type.pk}"[^>]*checked', choose)
    assert 'name="contact"' in choose
    assert "section_" not in choose

    form = staff.get(f"{link}&contact={contact.pk}").content.decode()
    assert 'name="section_subject"' in form and 'name="section_body"' in form and 'name="section_ps"' in form
    assert 'name="content"' not in form


def test_the_change_page_edits_the_sections_and_renders_again(staff, contact, make_correspondence, letter_type):
    correspondence = make_correspondence(contact)
    page = staff.get(f"{CHANGELIST}{correspondence.pk}/change/").content.decode()
    assert "Your tariff changes." in page

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = staff.post(
            f"{CHANGELIST}{correspondence.pk}/change/",
            {
                "correspondence_type": letter_type.pk,
                "number": "1",
                "correspondence_date": "2026-11-24",
                "section_subject": "Your new tariff",
                "section_body": "Corrected text.",
                "section_ps": "",
                **inline_management_forms(),
            },
        )

    assert response.status_code == 302
    changed = Correspondence.objects.get()
    assert changed.content == {"subject": "Your new tariff", "body": "Corrected text."}
    assert changed.revision == 2 and changed.status_names == ["ready"]


def test_staff_define_a_type_with_its_sections(staff):
    response = staff.post(
        "/admin/correspondence/correspondencetype/add/",
        {
            "name": "Welcome pack",
            "is_active": "on",
            "show_address_block": "on",
            "show_page_numbers": "on",
            "font": "Times-Roman",
            "font_size": "11",
            "sections-TOTAL_FORMS": "1",
            "sections-INITIAL_FORMS": "0",
            "sections-0-position": "1",
            "sections-0-key": "body",
            "sections-0-heading": "",
            "sections-0-required": "on",
        },
    )

    assert response.status_code == 302
    kind = CorrespondenceType.objects.get(name="Welcome pack")
    assert list(CorrespondenceSection.objects.filter(correspondence_type=kind).values_list("key", flat=True)) == [
        "body"
    ]


def inline_management_forms() -> dict:
    forms = {}
    for prefix in ("attachments", "emails", "status_changes"):
        forms[f"{prefix}-TOTAL_FORMS"] = "0"
        forms[f"{prefix}-INITIAL_FORMS"] = "0"
    return forms


def test_email_action_sends_through_the_service_and_the_emails_show(
    staff, make_contact, make_correspondence, smtp_server
):
    customer = make_contact(email="john@example.com")
    correspondence = make_correspondence(customer)

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = staff.post(
            CHANGELIST,
            {"action": "email_to_customer", "confirm": "yes", "_selected_action": [correspondence.pk]},
            follow=True,
        )

    assert any(str(m).startswith("Queued for email:") for m in response.context["messages"])
    assert [mail.rcpt_tos for mail in smtp_server.received] == [["john@example.com"]]
    page = staff.get(f"{CHANGELIST}{correspondence.pk}/change/").content.decode()
    assert "john@example.com" in page and "Accepted by the SMTP server" in page
    assert "staff in the back-office" in page


def test_render_again_renders_unsent_letters_and_keeps_sent_ones(staff, contact, make_correspondence, letter_type):
    unsent = make_correspondence(contact)
    sent = make_correspondence(contact)
    Correspondence.objects.filter(pk=sent.pk).update(delivered_on=sent.ready_on)
    letter_type.letterhead = "New Name Ltd"
    letter_type.save()

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = staff.post(
            CHANGELIST, {"action": "render_again", "_selected_action": [unsent.pk, sent.pk]}, follow=True
        )

    messages = [str(m) for m in response.context["messages"]]
    assert any(m.startswith("Rendering requested:") for m in messages)
    assert any("stays as it was sent" in m for m in messages)
    unsent.refresh_from_db()
    assert unsent.revision == 2 and unsent.status_names == ["ready"]
    with unsent.pdf.open("rb") as stored:
        assert "New Name Ltd" in pdf_text(stored.read())
    assert Correspondence.objects.get(pk=sent.pk).revision == 1
