"""Queue entries as the family shows them, by plain code from the records the queue's queries read: field for
field what serializers.QueueEntrySerializer shows (which stays the schema), without DRF building and running a
field object per field per entry; a page of 100 in get_latest spent most of its CPU there (bench/README.md)."""

from communications.formatting import local_date_time

from . import serializers as s


def entries(records) -> list[dict]:
    return [entry(record) for record in records]


def entry(record) -> dict:
    external_system = record.external_system
    return {
        "log_information": log_information(record),
        "error_code": _string(record.error_code),
        "error_description": _string(record.error_description),
        "life_cycle_state": _string(record.state),
        "communication": _communication(record.communication),
        "number": _string(record.number),
        "id": _hex(record.id),
        "communication_queue_external_system": None
        if external_system is None
        else {
            "name": _string(external_system.name),
            "id": _hex(external_system.id),
            "alternative_code": _string(external_system.alternative_code),
        },
    }


def log_information(record) -> dict:
    return {
        "updated_date": local_date_time(record.updated_on),
        "created_date": local_date_time(record.created_on),
        "created_by_unit": None,
        "updated_by_unit": None,
        "created_by_user": s.actor(record.created_by_user, record.created_by_key),
        "updated_by_user": s.actor(record.updated_by_user, record.updated_by_key),
    }


def _string(value) -> str | None:
    return None if value is None else str(value)


def _text(value) -> str | None:
    return str(value) if value not in (None, "") else None


def _hex(value) -> str | None:
    if value is None:
        return None
    return value.hex.upper() if hasattr(value, "hex") else str(value)


def _communication(communication) -> dict | None:
    if communication is None:
        return None
    return {
        "life_cycle_state": _string(communication.state),
        "number": _string(communication.number),
        "id": _hex(communication.id),
        "subject": _text(communication.subject),
        "contact_information": contact_information(communication.contact),
    }


def contact_information(contact) -> dict | None:
    """As ContactInformationSerializer shows a contact, its derived fields annotated or else read."""
    if contact is None:
        return None
    is_financial = getattr(contact, "is_financial", None)
    if is_financial is None:
        is_financial = contact.accounts.exists()
    born = contact.date_of_birth
    return {
        "last_name": _text(contact.last_name),
        "middle_name": _text(contact.middle_name),
        "life_cycle_state": "FINANCIAL" if is_financial else "MARKETING",
        "company_profile": None,
        "title": _text(contact.title),
        "first_name": _text(contact.first_name),
        "type": _string(contact.contact_type),
        "id": _hex(contact.id),
        "name": _text(contact.full_name),
        "company_name": _text(contact.company_name),
        "demographics": {
            "gender": _text(contact.gender),
            "passport_issued_by_country": None,
            "social_security_number": None,
            "passport_number": None,
            "industry_sector": None,
            "country_of_residence": _country_of_residence(contact),
            "name_day": {"month": None, "day": None},
            "date_of_birth": {
                "month": born.month if born else None,
                "day": born.day if born else None,
                "year": born.year if born else None,
            },
            "id_number": _text(contact.id_number),
            "industry": None,
            "id_issued_by_country": None,
        },
    }


def _country_of_residence(contact) -> dict | None:
    if hasattr(contact, "residence_country_code"):  # annotated by the queue's and contacts' selectors
        code = contact.residence_country_code
    else:
        code = next(iter(contact.addresses.values_list("country_code", flat=True)[:1]), None)
    return s.country(code) if code else None
