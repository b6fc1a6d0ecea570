"""Domain errors raised by services. Each API family renders them in its own dialect."""

from collections.abc import Mapping


def literal(value) -> str:
    """`value` as text for a message that names its field as `{field}` (its braces kept as typed)."""
    return str(value).replace("{", "{{").replace("}", "}}")


class DomainError(Exception):
    """A request the domain refuses; nothing was changed.

    `field` is the domain's name of the field at fault. A message that names the field writes it `{field}` and gives
    its `label` (the field in words, as staff read it); each API family names it with its own wire name instead
    (`worded`), so neither staff nor integrators read the other's names.
    """

    status = 400
    code = "INVALID"

    def __init__(
        self, message: str, *, field: str | None = None, parameters: list | None = None, label: str | None = None
    ):
        self.template = message if label is not None else None
        self.field = field
        self.label = label
        self.message = message if label is None else message.format(field=label)
        super().__init__(self.message)
        self.parameters = parameters if parameters is not None else ([field] if field else [])

    def wire_name(self, names: Mapping[str, str]) -> str | None:
        """The field as a family names it: its wire name in `names`, else the domain's name."""
        return names.get(self.field, self.field) if self.field else None

    def worded(self, names: Mapping[str, str]) -> str:
        """The message for a family naming fields as `names` maps them (a field not in it by the domain's name)."""
        if self.template is None:
            return self.message
        return self.template.format(field=self.wire_name(names))

    def wire_parameters(self, names: Mapping[str, str]) -> list:
        return [self.wire_name(names) if item == self.field else item for item in self.parameters]


class NotFound(DomainError):
    status = 404
    code = "NOT_FOUND"

    def __init__(self, entity: str, identifier):
        super().__init__(f"No {entity} matches {identifier}.", parameters=[entity, str(identifier)])
        self.entity = entity
        self.identifier = identifier


class InvalidValue(DomainError):
    code = "INVALID_VALUE"


class MissingValue(DomainError):
    code = "MISSING_VALUE"

    def __init__(self, field: str, message: str | None = None, *, label: str | None = None):
        default = "{field} is required." if label is not None else f"{field} is required."
        super().__init__(message or default, field=field, label=label)


class IllegalTransition(DomainError):
    code = "ILLEGAL_TRANSITION"


class Conflict(DomainError):
    status = 409
    code = "CONFLICT"


class TooManyRequests(DomainError):
    """A caller past a limit; nothing was done, and `retry_after` seconds from now a try may succeed."""

    status = 429
    code = "TOO_MANY_REQUESTS"

    def __init__(self, message: str, *, retry_after: int, parameters: list | None = None, **details):
        super().__init__(message, parameters=parameters)
        self.retry_after = max(1, int(retry_after))
        self.details = {"retry_after": self.retry_after, **details}
