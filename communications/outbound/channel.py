"""What every outbound channel shares: it hands a batch's messages over and reports each outcome to the batch."""

from abc import ABC, abstractmethod
from typing import Protocol

from communications.models import OutboundMessage

from .connections import MailerSession


class Recorder(Protocol):
    """What a channel reports to, for each message: hand_off() right before it may leave (False: the row is
    no longer this batch's, so it must not leave), then exactly one of sent(), failed(), outcome_unknown()."""

    session: MailerSession

    def hand_off(self, message: OutboundMessage) -> bool: ...

    def sent(self, message: OutboundMessage, sent_to: list[str]) -> None: ...

    def failed(self, message: OutboundMessage, error: Exception, *, permanent: bool = False) -> None: ...

    def outcome_unknown(self, message: OutboundMessage, error: Exception) -> None: ...


class OutboundChannel(ABC):
    """The way out for one channel's messages within one batch; the batch claimed them and writes the outcomes."""

    # Who takes the message from us, as an unknown outcome names it.
    counterpart: str

    def __init__(self, recorder: Recorder):
        self.recorder = recorder

    @abstractmethod
    def send(self, messages: list[OutboundMessage]) -> None:
        """Hand every message over, reporting each one's outcome; never raise for one message's failure."""
