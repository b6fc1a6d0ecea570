"""Reads reused by the API, the admin, the commands, the tasks and postal: those of letters per customer and
those of Altinn dispatches."""

from .dispatches import (
    correspondence_ids_using,
    dispatched_by,
    dispatched_correspondence,
    published_file,
    shared_attachment,
)
from .letters import LETTER_STAGES, awaiting_pdf, correspondence_in_mode, current_pdf, type_named

__all__ = [
    "LETTER_STAGES",
    "awaiting_pdf",
    "correspondence_ids_using",
    "correspondence_in_mode",
    "current_pdf",
    "dispatched_by",
    "dispatched_correspondence",
    "published_file",
    "shared_attachment",
    "type_named",
]
