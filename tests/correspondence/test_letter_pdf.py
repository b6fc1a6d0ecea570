"""The rendered letter: its text, its pages, and the address where the envelope's window is."""

import io

import pytest
from pypdf import PdfReader
from reportlab.lib.units import mm

from accounts.models import Address
from correspondence.pdf import A4, Letter, LetterSection, render_letter

from .helpers import pdf_pages, pdf_text

pytestmark = pytest.mark.django_db

PAGE_HEIGHT = A4[1]
LONG_BODY = "\n\n".join(f"Paragraph {n}. " + "The quick brown fox jumps over the lazy dog. " * 12 for n in range(1, 41))


def positioned_text(data: bytes, page: int = 0) -> list[tuple[str, float, float]]:
    """(text, x mm from the left, y mm from the top) of every text run on a page."""
    runs = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            runs.append((text.strip(), x / mm, (PAGE_HEIGHT - y) / mm))

    PdfReader(io.BytesIO(data)).pages[page].extract_text(visitor_text=visit)
    return runs


def stored_pdf(correspondence) -> bytes:
    correspondence.refresh_from_db()
    with correspondence.pdf.open("rb") as stored:
        return stored.read()


def test_the_recipients_address_sits_in_the_window(make_contact, make_correspondence):
    customer = make_contact(title="Mr", first_name="John", last_name="Smith")
    pdf = stored_pdf(make_correspondence(customer))

    runs = {text: (x, y) for text, x, y in positioned_text(pdf)}
    address = ["Mr John Smith", "2265 Oak Street", "13420 OLD FORGE", "CYPRUS"]
    for line in address:
        x, y = runs[line]
        # DIN 5008 form B: the recipient zone of the address field, 20-105 mm across, 62.7-90 mm down.
        assert 20 <= x <= 105 and 62.7 <= y <= 90, f"{line!r} at {x:.1f} mm, {y:.1f} mm"
    assert [runs[line][1] for line in address] == sorted(runs[line][1] for line in address)
    x, y = runs["Acme Utilities Ltd, 1 High Street, London EC1A 1AA"]
    assert 20 <= x <= 105 and 45 <= y <= 62.7, "the return address is in the zone above the recipient"


def test_the_body_starts_below_the_window_and_the_reference_block_is_beside_it(contact, make_correspondence):
    pdf = stored_pdf(make_correspondence(contact, correspondence_date="2026-11-24"))

    runs = {text: (x, y) for text, x, y in positioned_text(pdf)}
    assert runs["Your new tariff"][1] > 98, "the subject comes after the address field"
    assert runs["24 November 2026"][0] >= 124.9 and 50 <= runs["24 November 2026"][1] <= 98


def test_a_long_body_flows_over_pages_with_page_numbers(contact, make_correspondence):
    pdf = stored_pdf(make_correspondence(contact, content={"subject": "Terms", "body": LONG_BODY}))

    pages = pdf_pages(pdf)
    assert pages >= 3
    text = pdf_text(pdf)
    for n in (1, 20, 40):
        assert f"Paragraph {n}." in text
    for page in range(pages):
        page_text = PdfReader(io.BytesIO(pdf)).pages[page].extract_text()
        assert f"Page {page + 1} of {pages}" in page_text
    later = positioned_text(pdf, page=1)
    assert min(y for _, _, y in later) < 30, "later pages use the full height, without the address field"
    assert not any(text == "2265 Oak Street" for text, _, _ in later)


def test_markup_in_user_text_appears_literally(contact, make_correspondence):
    body = (
        'Costs <b>2 < 3</b> & <font size="40" color="red">big</font> &amp; <br/> <para>x</para> '
        '<img src="/etc/passwd"/>'
    )

    pdf = stored_pdf(make_correspondence(contact, content={"subject": "<i>Re:</i> A & B", "body": body}))

    text = pdf_text(pdf)
    assert "<i>Re:</i> A & B" in text
    assert 'Costs <b>2 < 3</b> & <font size="40" color="red">big</font> &amp; <br/> <para>x</para>' in text
    assert '<img\nsrc="/etc/passwd"/>' in text, "wrapped at the space like any other words"


def test_sections_follow_the_type_with_their_headings_and_the_closing(contact, make_correspondence):
    pdf = stored_pdf(
        make_correspondence(contact, content={"ps": "Mind the date.", "body": "Main text.", "subject": "Notice"})
    )

    text = pdf_text(pdf)
    # The letter is signed before its postscript.
    order = [text.index(part) for part in ("Notice", "Main text.", "Yours sincerely,", "P.S.", "Mind the date.")]
    assert order == sorted(order)
    assert "Customer Services" in text


def test_a_type_without_address_block_and_page_numbers_prints_neither(contact, make_correspondence, letter_type):
    letter_type.show_address_block = False
    letter_type.show_page_numbers = False
    letter_type.save()

    text = pdf_text(stored_pdf(make_correspondence(contact)))

    assert "2265 Oak Street" not in text and "Page 1 of 1" not in text


def test_a_company_without_an_address_gets_its_name_only(make_contact, make_correspondence):
    company = make_contact(contact_type="COMPANY", company_name="Nordlys Shipping AS", addresses=[])

    runs = {text: (x, y) for text, x, y in positioned_text(stored_pdf(make_correspondence(company)))}

    assert 62.7 <= runs["Nordlys Shipping AS"][1] <= 90


def test_the_primary_address_is_used_in_its_countrys_layout(make_contact, make_correspondence):
    customer = make_contact(title="Ms", first_name="Maria", last_name="Georgiou")
    Address.objects.create(
        contact=customer,
        is_primary=True,
        address_line_1="Elia Papakyriakou",
        address_line_2="7 Tower Stars",
        state_province_county="Egkomi",
        town_city="Nicosia",
        postal_code="2015",
        country_code="CYP",
    )

    text = pdf_text(stored_pdf(make_correspondence(customer)))

    # Cyprus Post writes the postcode before the town and no district.
    assert "Ms Maria Georgiou\nElia Papakyriakou\n7 Tower Stars\n2015 NICOSIA\nCYPRUS" in text
    assert "2265 Oak Street" not in text


def test_control_characters_are_dropped_not_fatal():
    letter = Letter(recipient=("A",), sections=(LetterSection("", "Bell\x07 and\x00 null\tand tab"),))

    assert "Bell and null and tab" in pdf_text(render_letter(letter).pdf)


def test_text_beyond_western_european_prints_in_a_unicode_font(make_contact, make_correspondence):
    customer = make_contact(first_name="Ελένη", last_name="Γεωργίου")
    body = "Αγαπητή κυρία Γεωργίου,\n\nИван Петров — 東京 — naïve café"

    pdf = stored_pdf(make_correspondence(customer, content={"subject": "Ενημέρωση", "body": body}))

    text = pdf_text(pdf)
    for part in ("Ελένη Γεωργίου", "Ενημέρωση", "Αγαπητή κυρία Γεωργίου,", "Иван Петров", "naïve café"):
        assert part in text
    fonts = {str(font["/BaseFont"]) for font in PdfReader(io.BytesIO(pdf)).pages[0]["/Resources"]["/Font"].values()}
    assert any("LetterUnicode" in name or "DejaVu" in name for name in fonts), fonts


def test_western_european_text_stays_in_the_standard_fonts(contact, make_correspondence):
    pdf = stored_pdf(make_correspondence(contact, content={"subject": "Prüfung", "body": "Ærø, Zoë, café — 5 €"}))

    assert "Ærø, Zoë, café — 5 €" in pdf_text(pdf)
    fonts = {str(font["/BaseFont"]) for font in PdfReader(io.BytesIO(pdf)).pages[0]["/Resources"]["/Font"].values()}
    assert fonts <= {"/Helvetica", "/Helvetica-Bold"}


def test_without_a_unicode_font_file_the_letter_still_renders(tmp_path):
    from correspondence import pdf

    saved = dict(pdf.unicode_font_files)
    pdf.use_unicode_font(str(tmp_path / "missing.ttf"))
    try:
        rendered = render_letter(Letter(recipient=("Иван",), sections=(LetterSection("", "Привет"),)))
    finally:
        pdf.use_unicode_font(saved["regular"], saved["bold"])

    assert rendered.pages == 1
