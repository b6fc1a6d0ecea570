"""Refusals of Altinn dispatches (seed 001), each with Altinn's `error_code`; the altinn family words them as
problem details."""

from accounts.errors import Conflict, DomainError, IllegalTransition, InvalidValue, NotFound


class CorrespondenceNotFound(NotFound):
    error_code = 1001

    def __init__(self, identifier):
        DomainError.__init__(
            self, "The requested correspondence was not found", parameters=["correspondence", str(identifier)]
        )
        self.entity, self.identifier = "correspondence", identifier


class AttachmentNotFound(NotFound):
    error_code = 2001

    def __init__(self, identifier):
        DomainError.__init__(self, "The requested attachment was not found", parameters=["attachment", str(identifier)])
        self.entity, self.identifier = "attachment", identifier


class UnknownRecipients(NotFound):
    """Recipients that match no customer: a correspondence always belongs to a customer."""

    error_code = 1029

    def __init__(self, recipients: list[str]):
        DomainError.__init__(
            self,
            f"Could not find partyId for the following recipients: {', '.join(recipients)}",
            field="recipients",
            parameters=recipients,
        )
        self.entity, self.identifier = "recipient", ", ".join(recipients)


class DuplicateRecipients(InvalidValue):
    error_code = 1006


class ExistingAttachmentNotFound(InvalidValue):
    error_code = 1007


class AttachmentOfAnotherSender(InvalidValue):
    error_code = 1017


class AttachmentNotPublished(InvalidValue):
    error_code = 1018


class TooManyAttachments(InvalidValue):
    error_code = 1038


class DueDateInPast(InvalidValue):
    error_code = 1008


class DueDateBeforePublish(InvalidValue):
    error_code = 1009


class DueDateRequired(InvalidValue):
    error_code = 1016


class DuplicateIdempotentKey(Conflict):
    error_code = 1034


class MissingNotificationText(InvalidValue):
    """The chosen channel needs texts the request left out; `error_code` names which (Altinn 3002–3007)."""

    def __init__(self, message: str, *, error_code: int, field: str):
        super().__init__(message, field=field)
        self.error_code = error_code


class NotPublished(IllegalTransition):
    def __init__(self, message: str, *, error_code: int):
        super().__init__(message)
        self.error_code = error_code


class AlreadyRead(IllegalTransition):
    error_code = 1040


class AlreadyConfirmed(IllegalTransition):
    error_code = 1041


class AlreadyPurged(IllegalTransition):
    error_code = 1014


class PurgeBeforeConfirmed(IllegalTransition):
    error_code = 1026


class InvalidFileSize(InvalidValue):
    error_code = 2004


class FileTooLarge(InvalidFileSize):
    status = 413


class FileAlreadyUploaded(IllegalTransition):
    error_code = 2005


class FileHasBeenPurged(IllegalTransition):
    error_code = 2006


class ChecksumMismatch(InvalidValue):
    error_code = 2008


class InvalidFilename(InvalidValue):
    error_code = 2012


class FiletypeNotAllowed(InvalidValue):
    error_code = 2013


class AttachmentInUse(IllegalTransition):
    error_code = 2007
