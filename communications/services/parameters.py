"""A communication's unrestricted parameters (seed 003): checked, added, updated and removed."""

import math
from collections.abc import Mapping

from accounts.errors import InvalidValue, MissingValue, NotFound
from communications import placeholders
from communications.formatting import parse_date_time
from communications.models import Communication, ParameterType, UnrestrictedParameter

PARAMETER_NAME_MAX = UnrestrictedParameter._meta.get_field("name").max_length

VALUE_FIELDS = {
    ParameterType.STRING: "string_value",
    ParameterType.FLOAT: "float_value",
    ParameterType.DATE: "date_value",
    ParameterType.INTEGER: "integer_value",
}


def _parameter_value(kind: str, raw, name: str):
    field = VALUE_FIELDS[kind]
    where = f"unrestricted_parameter_set.{name}.{field}"
    if raw is None:
        return None
    if isinstance(raw, Mapping | list | bool):
        raise InvalidValue(f"{where} must be a {kind.lower()}; got {raw!r}.", field=where)
    if kind == ParameterType.STRING:
        return checked_text(raw, where)
    if kind == ParameterType.DATE:
        return parse_date_time(raw, where)
    try:
        value = float(raw) if kind == ParameterType.FLOAT else int(str(raw))
    except (TypeError, ValueError):
        raise InvalidValue(f"{where} must be a {kind.lower()}; got {raw!r}.", field=where) from None
    if kind == ParameterType.FLOAT and not math.isfinite(value):
        raise InvalidValue(f"{where} must be a finite number.", field=where)
    if kind == ParameterType.INTEGER and not -(2**63) <= value < 2**63:
        raise InvalidValue(f"{where} is out of range.", field=where)
    return value


def checked_text(value, where: str, max_length: int | None = None) -> str:
    text = str(value)
    if "\x00" in text:
        raise InvalidValue(f"{where} must not contain NUL characters.", field=where)
    if max_length is not None and len(text) > max_length:
        raise InvalidValue(f"{where} may be at most {max_length} characters.", field=where)
    return text


def new_parameter(
    communication: Communication, spec: Mapping, existing: list[UnrestrictedParameter]
) -> UnrestrictedParameter:
    """An unsaved parameter from its specification, refused when its key is among `existing`."""
    if not isinstance(spec, Mapping):
        raise InvalidValue("Each unrestricted parameter must be an object.", field="unrestricted_parameter_set")
    kind = str(spec.get("type") or "").upper()
    name = checked_text(spec.get("name") or "", "unrestricted_parameter_set.name", PARAMETER_NAME_MAX).strip()
    if kind not in VALUE_FIELDS:
        raise InvalidValue(
            "unrestricted_parameter_set: type accepts STRING, FLOAT, DATE or INTEGER.",
            field="unrestricted_parameter_set.type",
        )
    if not name:
        raise MissingValue("unrestricted_parameter_set.name")
    _check_parameter_name(name)
    if any(p.type == kind and p.name == name for p in existing):
        raise InvalidValue(
            f"The parameter unrestricted_{kind.lower()}.{name} exists already; use the update action.",
            field="unrestricted_parameter_set.name",
        )
    value = _parameter_value(kind, spec.get(VALUE_FIELDS[kind]), name)
    return UnrestrictedParameter(communication=communication, type=kind, name=name, **{VALUE_FIELDS[kind]: value})


def _check_parameter_name(name: str) -> None:
    # A name no placeholder can spell would be stored and never rendered.
    if not placeholders.is_name(name):
        raise InvalidValue(
            f"The parameter name {name!r} can hold only letters (in any script), digits and underscores, "
            "so that #unrestricted_<type>.<name> can show it.",
            field="unrestricted_parameter_set.name",
        )


def _add_parameter(communication: Communication, spec: Mapping) -> UnrestrictedParameter:
    parameter = new_parameter(communication, spec, list(communication.parameters.all()))
    parameter.save()
    return parameter


def _find_parameter(communication: Communication, identifier) -> UnrestrictedParameter:
    if not isinstance(identifier, Mapping) or len(identifier) != 1:
        raise MissingValue(
            "unrestricted_parameter_identifier", "update and remove need an unrestricted_parameter_identifier."
        )
    ((field, value),) = identifier.items()
    value = str(value).strip()
    parameters = communication.parameters.all()
    if field == "id":
        found = [p for p in parameters if p.id.hex.upper() == value.replace("-", "").upper()]
    elif field == "name":
        found = [p for p in parameters if p.name == value]
    elif field == "key":
        found = [p for p in parameters if p.key == value]
    else:
        raise InvalidValue(
            "unrestricted_parameter_identifier takes id, name or key.", field="unrestricted_parameter_identifier"
        )
    if not found:
        raise NotFound("unrestricted parameter", value)
    if len(found) > 1:
        raise InvalidValue(f"More than one parameter is named {value}; use its key.", field="unrestricted_parameter")
    return found[0]


def apply_parameter_action(communication: Communication, spec: Mapping) -> None:
    if not isinstance(spec, Mapping):
        raise InvalidValue("Each unrestricted parameter must be an object.", field="unrestricted_parameter_set")
    action = str(spec.get("action") or "add").lower()
    if action == "add":
        _add_parameter(communication, spec)
        return
    if action not in ("update", "remove"):
        raise InvalidValue("action accepts add, update or remove.", field="unrestricted_parameter_set.action")
    parameter = _find_parameter(communication, spec.get("unrestricted_parameter_identifier"))
    if action == "remove":
        parameter.delete()
        return
    kind = str(spec.get("type") or parameter.type).upper()
    if kind not in VALUE_FIELDS:
        raise InvalidValue("type accepts STRING, FLOAT, DATE or INTEGER.", field="unrestricted_parameter_set.type")
    name = checked_text(
        spec.get("name") or parameter.name, "unrestricted_parameter_set.name", PARAMETER_NAME_MAX
    ).strip()
    _check_parameter_name(name)
    clash = communication.parameters.filter(type=kind, name=name).exclude(pk=parameter.pk).exists()
    if clash:
        raise InvalidValue(
            f"The parameter unrestricted_{kind.lower()}.{name} exists already.", field="unrestricted_parameter_set"
        )
    value_field = VALUE_FIELDS[kind]
    value = (
        _parameter_value(kind, spec[value_field], name)
        if value_field in spec
        else (parameter.value if kind == parameter.type else None)
    )
    for field in VALUE_FIELDS.values():
        setattr(parameter, field, value if field == value_field else None)
    parameter.type, parameter.name = kind, name
    parameter.save()
