"""The letter as printed: the address in the window as the post of its country writes it, and the closing before
the postscript. Each PDF is parsed back."""

import pytest

from accounts.models import Address

from .helpers import pdf_text
from .test_letter_pdf import positioned_text, stored_pdf

pytestmark = pytest.mark.django_db


def window_lines(pdf: bytes) -> list[str]:
    """The recipient's lines, top to bottom, as they sit in the envelope window (62.7-90 mm down)."""
    runs = [(y, x, text) for text, x, y in positioned_text(pdf) if 20 <= x <= 105 and 62.7 <= y <= 90]
    return [text for _, _, text in sorted(runs)]


def customer_at(make_contact, **address):
    customer = make_contact(title="Mr", first_name="John", last_name="Smith", addresses=[])
    Address.objects.create(contact=customer, is_primary=True, **address)
    return customer


def test_a_united_states_address_ends_with_town_state_and_zip(make_contact, make_correspondence):
    customer = customer_at(
        make_contact,
        address_line_1="2265 Oak Street",
        town_city="Old Forge",
        state_province_county="New York",
        postal_code="13420",
        country_code="USA",
    )

    lines = window_lines(stored_pdf(make_correspondence(customer)))

    assert lines == ["Mr John Smith", "2265 Oak Street", "OLD FORGE, NY 13420", "UNITED STATES"]


def test_a_british_address_has_the_post_town_above_the_postcode(make_contact, make_correspondence):
    customer = customer_at(
        make_contact, address_line_1="1 High Street", town_city="London", postal_code="EC1A 1AA", country_code="GBR"
    )

    lines = window_lines(stored_pdf(make_correspondence(customer)))

    assert lines == ["Mr John Smith", "1 High Street", "LONDON", "EC1A 1AA", "UNITED KINGDOM"]


def test_a_norwegian_address_has_the_postcode_before_the_town(make_contact, make_correspondence):
    customer = customer_at(
        make_contact, address_line_1="Karl Johans gate 1", town_city="Oslo", postal_code="0154", country_code="NOR"
    )

    lines = window_lines(stored_pdf(make_correspondence(customer)))

    assert lines == ["Mr John Smith", "Karl Johans gate 1", "0154 OSLO", "NORWAY"]


def test_a_region_the_post_does_not_know_still_prints_in_the_countrys_layout(make_contact, make_correspondence):
    customer = customer_at(
        make_contact,
        address_line_1="2265 Oak Street",
        address_line_2="Building 4",
        town_city="Old Forge",
        state_province_county="Upstate",
        postal_code="13420",
        country_code="USA",
    )

    lines = window_lines(stored_pdf(make_correspondence(customer)))

    assert lines == ["Mr John Smith", "2265 Oak Street", "Building 4", "OLD FORGE, UPSTATE 13420", "UNITED STATES"]


def test_the_closing_comes_before_the_postscript(contact, make_correspondence):
    content = {"subject": "Your new tariff", "body": "Dear customer,\n\nYour tariff changes.", "ps": "Go paperless."}

    pdf = stored_pdf(make_correspondence(contact, content=content))

    text = pdf_text(pdf)
    assert text.index("Your tariff changes.") < text.index("Yours sincerely,") < text.index("P.S.")
    assert text.index("Customer Services") < text.index("Go paperless.")
    runs = {text: y for text, _, y in positioned_text(pdf)}
    assert runs["Customer Services"] < runs["P.S."] < runs["Go paperless."]


def test_without_a_postscript_the_letter_ends_with_the_closing(contact, make_correspondence):
    text = pdf_text(stored_pdf(make_correspondence(contact)))

    assert "P.S." not in text
    assert text.index("Your tariff changes.") < text.index("Yours sincerely,") < text.index("Customer Services")
