"""What a correspondence prints as a letter: the recipient's lines, the reference block, the sections."""

from functools import cache

import pycountry

from accounts.models import Address, Contact, ContactType

from .models import Correspondence
from .pdf import RECIPIENT_MAX_LINES, Letter, LetterSection


@cache
def country_name(alpha_3: str) -> str:
    country = pycountry.countries.get(alpha_3=alpha_3)
    return (getattr(country, "common_name", None) or country.name) if country else alpha_3


def recipient_lines(customer: Contact, address: Address | None) -> tuple[str, ...]:
    """Name, street lines, postcode and town, region and country (in capitals, as the UPU asks)."""
    if customer.contact_type == ContactType.COMPANY and customer.company_name:
        name = customer.company_name
    else:
        name = " ".join(part for part in (customer.title, customer.full_name) if part)
    lines = [name]
    if address is not None:
        locality = " ".join(part for part in (address.postal_code, address.town_city) if part)
        lines += [address.address_line_1, address.address_line_2, locality, address.state_province_county]
        lines.append(country_name(address.country_code).upper())
    lines = [line for line in lines if line]
    if len(lines) > RECIPIENT_MAX_LINES and address is not None and address.state_province_county:
        lines.remove(address.state_province_county)
    return tuple(lines[:RECIPIENT_MAX_LINES])


def printed_date(value) -> str:
    return f"{value.day} {value:%B %Y}"


def letter_for(correspondence: Correspondence) -> Letter:
    kind = correspondence.correspondence_type
    customer = correspondence.customer
    reference = []
    if kind.show_date:
        reference.append(("Date", printed_date(correspondence.correspondence_date)))
    if customer.code:
        reference.append(("Customer number", customer.code))
    reference.append(("Our reference", correspondence.number))
    content = correspondence.content or {}
    sections = tuple(
        LetterSection(heading=section.heading, text=str(content[section.key]), bold=section.bold)
        for section in kind.sections.all()
        if str(content.get(section.key) or "").strip()
    )
    letterhead = tuple(line.strip() for line in kind.letterhead.splitlines() if line.strip())
    return Letter(
        recipient=recipient_lines(customer, customer.addresses.first()),
        sections=sections,
        letterhead=letterhead,
        return_address=kind.return_address,
        reference=tuple(reference),
        closing=kind.closing,
        show_address_block=kind.show_address_block,
        show_page_numbers=kind.show_page_numbers,
        font=kind.font,
        font_size=kind.font_size,
        title=f"{kind.name} {correspondence.number}",
        author=letterhead[0] if letterhead else "",
    )
