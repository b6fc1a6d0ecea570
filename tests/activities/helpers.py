"""Request bodies and dates the activities tests share."""

from datetime import UTC, datetime

FROM = 1592809457  # the seed's scheduled from_date
TO = 1592816657  # two hours later


def epoch(value: int) -> datetime:
    return datetime.fromtimestamp(value, tz=UTC)


def create_body(contact, activity_type, **overrides) -> dict:
    """The smallest valid POST /activities body; keyword arguments replace attributes."""
    body = {
        "name": "Call customer",
        "type_id": str(activity_type.id),
        "scheduled_on": {"from_date": FROM, "to_date": TO},
        "linked_to": [{"type": "CONTACT", "id": str(contact.id)}],
    }
    body.update(overrides)
    return body


def guid(user) -> str:
    """The id the v2 family shows and takes for a user."""
    return str(user.identifier.guid)
