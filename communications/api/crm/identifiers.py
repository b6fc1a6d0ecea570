"""CRM.COM identifiers: `{"number": "CM000680"}` in POST bodies, `communication_identifier=number=CM000680`
in GET queries.

Each kind of record names the fields it can be found by; exactly one field is given per identifier.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.db.models import QuerySet

from accounts.api.parsers import loads_text
from accounts.errors import InvalidValue, MissingValue, NotFound
from communications.referring import parse_uuid


@dataclass(frozen=True)
class Identifies:
    entity: str
    param: str
    fields: dict  # wire field → model lookup

    def describe(self) -> str:
        return ", ".join(self.fields)


COMMUNICATION = Identifies(
    "communication", "communication_identifier", {"id": "pk", "number": "number", "code": "code"}
)
CONTACT = Identifies(
    "contact information",
    "contact_information_identifier",
    {"id": "pk", "code": "code", "id_number": "id_number", "email": "email"},
)
TEMPLATE = Identifies("template", "template_identifier", {"id": "pk", "name": "name"})
CATEGORY = Identifies("category", "category_identifier", {"id": "pk", "name": "name", "code": "code"})
QUEUE_EXTERNAL_SYSTEM = Identifies(
    "communication queue external system",
    "communication_queue_external_system_identifier",
    {"id": "pk", "name": "name", "alternative_code": "alternative_code"},
)
GROUP = Identifies(
    "group", "owned_by_group_identifier", {"id": "pk", "name": "name", "alternative_code": "code", "code": "code"}
)
PRIVACY_LEVEL = Identifies(
    "privacy level", "privacy_level_identifier", {"id": "pk", "name": "name", "alternative_code": "alternative_code"}
)
QUEUE_ENTRY = Identifies(
    "communication queue entry", "communication_queue_identifier", {"id": "pk", "number": "number"}
)


def from_query(raw: str | None, kind: Identifies) -> dict | None:
    """`number=CM000680` (or a JSON object) from a GET parameter; None when absent."""
    if raw is None or not raw.strip():
        return None
    text = raw.strip()
    if text.startswith("{"):
        try:
            return loads_text(text)
        except ValueError:
            raise InvalidValue(f"{kind.param} is not a valid JSON object.", field=kind.param) from None
    field, separator, value = text.partition("=")
    if not separator:
        raise InvalidValue(
            f"{kind.param} takes <field>=<value>, where field is one of {kind.describe()}.", field=kind.param
        )
    return {field.strip(): value}


def field_and_value(identifier, kind: Identifies) -> tuple[str, str]:
    if not isinstance(identifier, Mapping):
        raise InvalidValue(f'{kind.param} must be an object such as {{"id": "…"}}.', field=kind.param)
    given = {k: v for k, v in identifier.items() if v not in (None, "")}
    unknown = [k for k in given if k not in kind.fields]
    if unknown:
        raise InvalidValue(f"{kind.param} accepts {kind.describe()}; got {', '.join(unknown)}.", field=kind.param)
    if len(given) != 1:
        raise InvalidValue(f"{kind.param} takes exactly one of {kind.describe()}.", field=kind.param)
    ((field, value),) = given.items()
    text = str(value).strip()
    if isinstance(value, Mapping | list | bool) or "\x00" in text or len(text) > 255:
        raise InvalidValue(f"{kind.param}.{field} must be a value.", field=f"{kind.param}.{field}")
    return field, text


def resolve(queryset: QuerySet, identifier, kind: Identifies, *, required: bool = True):
    """The one record the identifier names, else NotFound; None when absent and not required."""
    return resolve_with(
        lambda lookup, value: queryset.filter(**{lookup: value})[:2], identifier, kind, required=required
    )


def resolve_with(find: Callable, identifier, kind: Identifies, *, required: bool = True):
    """As resolve(), with `find(lookup, value)` giving at most two of the records (or rows) that match."""
    if identifier is None:
        if required:
            raise MissingValue(kind.param)
        return None
    field, value = field_and_value(identifier, kind)
    lookup = kind.fields[field]
    if lookup == "pk":
        value = parse_uuid(value, kind.entity)
    found = list(find(lookup, value))
    if not found:
        raise NotFound(kind.entity, f"{field} {value.hex.upper() if lookup == 'pk' else value}")
    if len(found) > 1:
        raise InvalidValue(f"More than one {kind.entity} has {field} {value}; use its id.", field=kind.param)
    return found[0]
