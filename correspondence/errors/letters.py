"""Refusals of letters per customer (seed 000); the backend family words them in its error body."""

from accounts.errors import DomainError, IllegalTransition, NotFound


class NotReady(IllegalTransition):
    code = "NOT_READY"


class AlreadySent(IllegalTransition):
    code = "ALREADY_SENT"


class PdfNotAvailable(NotFound):
    code = "PDF_NOT_AVAILABLE"

    def __init__(self, correspondence):
        DomainError.__init__(
            self,
            f"The PDF of correspondence {correspondence.id} is not rendered yet; it is once the status is ready.",
            parameters=["correspondence", str(correspondence.id)],
        )
        self.entity, self.identifier = "correspondence file", correspondence.id


class NoSuchAttachment(NotFound):
    code = "NO_SUCH_ATTACHMENT"

    def __init__(self, correspondence, name: str):
        DomainError.__init__(
            self,
            f"Correspondence {correspondence.id} has no attachment named {name!r}.",
            parameters=["attachment", name],
        )
        self.entity, self.identifier = "attachment", name


class EmailNotAccepted(DomainError):
    """The outbound channel refused to take the message, so nothing was queued."""

    status = 500
    code = "EMAIL_NOT_ACCEPTED"
