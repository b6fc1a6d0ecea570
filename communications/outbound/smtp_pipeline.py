"""The pipelined SMTP conversation: a group of emails in step over up to OUTBOUND_SMTP_CONNECTIONS connections.

Each SMTP command is written on every connection before any answer is read, so one round trip carries the
whole group. Each email is handed over in three steps: MAIL, RCPT, DATA and the text without its end; then
the batch commits its hand-off marker; then its final dot. A worker killed before a marker commit leaves
unfinished messages the server throws away, so those rows can be sent again. docs/communications.md has the
rest.
"""

import smtplib
from dataclasses import dataclass, field
from functools import partial

from communications.models import OutboundMessage

from .channel import Recorder
from .connections import MailerSession
from .mime import ComposedEmail, dot_stuffed


@dataclass(eq=False)
class Transfer:
    """One email on its way over SMTP within a group."""

    message: OutboundMessage
    alias: str
    slot: int
    smtp: smtplib.SMTP
    composed: ComposedEmail
    refused: dict = field(default_factory=dict)
    settled: bool = False  # refused or lost on the way: its outcome is reported already

    @property
    def accepted(self) -> list[str]:
        return [recipient for recipient in self.composed.recipients if recipient not in self.refused]


class SmtpPipeline:
    """Hands a group's transfers over in step and reports each outcome to the batch's recorder."""

    def __init__(self, recorder: Recorder, session: MailerSession):
        self.recorder = recorder
        self.session = session

    def send(self, transfers: list[Transfer]) -> None:
        going = self.step(transfers, _ask_mail, _mail_answer)
        for index in range(max((len(t.composed.recipients) for t in going), default=0)):
            asked = [t for t in going if index < len(t.composed.recipients)]
            self.step(asked, partial(_ask_rcpt, index), partial(_rcpt_answer, index))
        going = self.step([t for t in going if not t.settled and self.still_going(t)], _ask_data, _data_answer)
        unfinished = []
        for transfer in going:
            try:
                transfer.smtp.send(dot_stuffed(transfer.composed.data)[:-2])
            except (OSError, smtplib.SMTPException) as error:
                self.lost(transfer, error)
            else:
                unfinished.append(transfer)
        finished = []
        try:
            while unfinished:
                transfer = unfinished[0]
                handed_off = self.recorder.hand_off(transfer.message)
                unfinished.pop(0)
                if not handed_off:
                    self.abandon(transfer)
                    continue
                try:
                    transfer.smtp.send(b"\r\n.\r\n")
                except (OSError, smtplib.SMTPException) as error:
                    self.session.discard(transfer.alias, transfer.slot)
                    self.recorder.outcome_unknown(transfer.message, error)
                else:
                    finished.append(transfer)
        except BaseException:
            # A connection left inside DATA would carry the next message's commands as this one's text.
            for transfer in unfinished:
                self.abandon(transfer)
            raise
        for transfer in finished:
            try:
                code, reply = transfer.smtp.getreply()
            except (OSError, smtplib.SMTPException) as error:
                self.session.discard(transfer.alias, transfer.slot)
                self.recorder.outcome_unknown(transfer.message, error)
                continue
            if code == 250:
                self.recorder.sent(transfer.message, transfer.accepted)
            else:  # refused after the dot: a known outcome
                error = smtplib.SMTPDataError(code, reply)
                self.recorder.failed(transfer.message, error, permanent=is_permanent(error))

    def step(self, transfers: list[Transfer], command, answer) -> list[Transfer]:
        """One SMTP command on every connection, then every answer: a single round trip for all of them.
        `answer` returns the refusal (an SMTP error) or None. Returns the transfers still going."""
        asked = []
        for transfer in transfers:
            try:
                command(transfer)
            except (OSError, smtplib.SMTPException) as error:
                self.lost(transfer, error)
            else:
                asked.append(transfer)
        going = []
        for transfer in asked:
            try:
                code, reply = transfer.smtp.getreply()
            except (OSError, smtplib.SMTPException) as error:
                self.lost(transfer, error)
                continue
            refusal = answer(transfer, code, reply)
            if refusal is None:
                going.append(transfer)
            else:
                self.refused(transfer, refusal)
        return going

    def still_going(self, transfer: Transfer) -> bool:
        if transfer.refused and len(transfer.refused) == len(transfer.composed.recipients):
            self.refused(transfer, smtplib.SMTPRecipientsRefused(transfer.refused))
            return False
        return True

    def refused(self, transfer: Transfer, error: Exception) -> None:
        """The server said no before the text: the connection is reset for the next message."""
        transfer.settled = True
        try:
            if transfer.smtp.rset()[0] != 250:
                self.session.discard(transfer.alias, transfer.slot)
        except (OSError, smtplib.SMTPException):
            self.session.discard(transfer.alias, transfer.slot)
        self.recorder.failed(transfer.message, error, permanent=is_permanent(error))

    def lost(self, transfer: Transfer, error: Exception) -> None:
        """The connection broke before the final dot: nothing was accepted, so the message can be retried."""
        transfer.settled = True
        self.session.discard(transfer.alias, transfer.slot)
        self.recorder.failed(transfer.message, error)

    def abandon(self, transfer: Transfer) -> None:
        """Close the socket mid-DATA, without QUIT: the server discards the unfinished message."""
        transfer.smtp.close()
        self.session.discard(transfer.alias, transfer.slot)


def is_permanent(error: Exception) -> bool:
    """A 5xx reply, or every recipient refused with one: trying again cannot help."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code >= 500
    return False


# The composed addresses are bare addr-specs already (mime.py), so they go in <> as they are.
def _ask_mail(transfer: Transfer) -> None:
    transfer.smtp.putcmd("mail", f"FROM:<{transfer.composed.sender}>")


def _mail_answer(transfer: Transfer, code: int, reply: bytes) -> Exception | None:
    return None if code == 250 else smtplib.SMTPSenderRefused(code, reply, transfer.composed.sender)


def _ask_rcpt(index: int, transfer: Transfer) -> None:
    transfer.smtp.putcmd("rcpt", f"TO:<{transfer.composed.recipients[index]}>")


def _rcpt_answer(index: int, transfer: Transfer, code: int, reply: bytes) -> None:
    # A refused recipient does not stop the others; still_going() decides once every answer is in.
    if code not in (250, 251):
        transfer.refused[transfer.composed.recipients[index]] = (code, reply)


def _ask_data(transfer: Transfer) -> None:
    transfer.smtp.putcmd("data")


def _data_answer(transfer: Transfer, code: int, reply: bytes) -> Exception | None:
    return None if code == 354 else smtplib.SMTPDataError(code, reply)
