"""Domain errors raised by services. Each API family renders them in its own dialect."""


class DomainError(Exception):
    """A request the domain refuses; nothing was changed."""

    status = 400
    code = "INVALID"

    def __init__(self, message: str, *, field: str | None = None, parameters: list | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.parameters = parameters if parameters is not None else ([field] if field else [])


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

    def __init__(self, field: str, message: str | None = None):
        super().__init__(message or f"{field} is required.", field=field)


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
