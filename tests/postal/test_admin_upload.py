"""Staff upload a mailing in the admin: PDFs with refs, or one CSV naming the PDFs."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader

from postal.demo import letter_pdf
from postal.models import Letter, Mailing

pytestmark = pytest.mark.django_db

URL = "/admin/postal/mailing/upload/"


def pdf_file(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, letter_pdf(name, [f"Letter in {name}"]), content_type="application/pdf")


def post(admin_client, account, **fields):
    data = {"postal_account": str(account.pk), "transport": "POST", **fields}
    return admin_client.post(URL, data, follow=True)


def test_the_mailings_page_links_to_the_upload(admin_client):
    assert URL in admin_client.get("/admin/postal/mailing/").content.decode()


def test_pdfs_with_refs_in_file_name_order(admin_client, postal_account):
    response = post(admin_client, postal_account, pdfs=[pdf_file("b.pdf"), pdf_file("a.pdf")], refs="ref-a\nref-b\n")

    assert response.status_code == 200
    mailing = Mailing.objects.get()
    assert mailing.source == "ADMIN"
    assert f"Mailing {mailing.epid} received with 2 letter(s)." in response.content.decode()
    letters = {letter.ref: letter for letter in Letter.objects.all()}
    with letters["ref-a"].pdf.open("rb") as document:
        assert "Letter in a.pdf" in PdfReader(io.BytesIO(document.read())).pages[0].extract_text()
    assert (letters["ref-a"].idx, letters["ref-b"].idx) == (1, 2)


def test_without_refs_the_file_names_are_the_refs(admin_client, postal_account):
    post(admin_client, postal_account, pdfs=[pdf_file("INV-001.pdf"), pdf_file("INV-002.pdf")])

    assert sorted(Letter.objects.values_list("ref", flat=True)) == ["INV-001", "INV-002"]


def test_a_csv_names_each_pdf_with_its_ref_and_transport(admin_client, postal_account):
    csv_file = SimpleUploadedFile(
        "mailing.csv",
        b"file,ref,transport,email,phone\na.pdf,R1,EMAIL,ann@example.com,\nb.pdf,R2,SMS POST,,+4722000000\n",
        content_type="text/csv",
    )

    post(admin_client, postal_account, pdfs=[pdf_file("a.pdf"), pdf_file("b.pdf")], csv_file=csv_file)

    letters = {letter.ref: letter for letter in Letter.objects.all()}
    assert (letters["R1"].transports, letters["R1"].email) == (["EMAIL", "POST"], "ann@example.com")
    assert (letters["R2"].transports, letters["R2"].phone) == (["SMS", "POST"], "+4722000000")


def test_a_ref_in_use_refuses_the_upload_and_stores_nothing(admin_client, postal_account, make_mailing):
    make_mailing(postal_account, ["ref-a"])

    response = post(admin_client, postal_account, pdfs=[pdf_file("a.pdf"), pdf_file("b.pdf")], refs="new\nref-a")

    assert "already used on account ABC12345: ref-a" in response.content.decode()
    assert Mailing.objects.count() == 1
    assert not Letter.objects.filter(ref="new").exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"refs": "only-one"}, "1 refs for 2 PDFs"),
        ({"csv_file": SimpleUploadedFile("m.csv", b"file,ref\na.pdf,R1\n")}, "PDFs the CSV does not name: b.pdf"),
        ({"csv_file": SimpleUploadedFile("m.csv", b"ref\nR1\n")}, "columns file and ref"),
    ],
)
def test_mismatched_refs_or_csv_are_shown_and_nothing_is_stored(admin_client, postal_account, fields, message):
    response = post(admin_client, postal_account, pdfs=[pdf_file("a.pdf"), pdf_file("b.pdf")], **fields)

    assert message in response.content.decode()
    assert not Mailing.objects.exists()


def test_a_file_that_is_not_a_pdf_is_refused(admin_client, postal_account):
    not_pdf = SimpleUploadedFile("a.pdf", b"hello", content_type="application/pdf")

    response = post(admin_client, postal_account, pdfs=[not_pdf])

    assert "is not a PDF" in response.content.decode()
    assert not Mailing.objects.exists()


def test_staff_without_the_permission_cannot_upload(client, django_user_model, postal_account):
    client.force_login(django_user_model.objects.create_user("clerk", password="x", is_staff=True))
    assert client.get(URL).status_code == 403
