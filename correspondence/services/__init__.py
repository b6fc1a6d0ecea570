"""Writes on correspondence: the behaviours the API, the admin, the commands, the tasks and other apps call.

Letters per customer (seed 000) live in `letters`, Altinn dispatches (seed 001) in `dispatches`, which builds
on letters and never the other way. Only what is called from outside this package is named here.
"""

from .dispatches.attachments import initialize_attachment, purge_attachment, upload_attachment
from .dispatches.initialize import MAX_RECIPIENTS, Initialized, MessageContent, initialize_dispatch
from .dispatches.lifecycle import confirm, mark_read, purge
from .dispatches.notify import record_notification_outcome, send_due_notifications
from .dispatches.orders import NotificationRequest
from .dispatches.publish import publish_due_correspondences
from .letters.emailing import CoveringEmail, covering_email, default_recipients, email_correspondence
from .letters.preview import LetterPreview, preview_correspondence, preview_correspondence_changes
from .letters.records import (
    NewAttachment,
    check_attachment_name,
    check_new_correspondence,
    correspondence_changes,
    create_correspondence,
    delete_correspondence,
    update_correspondence,
    validate_content,
)
from .letters.rendering import render_again, render_correspondence
from .letters.status import mark_delivered
from .outcomes import record_message_failed, record_message_sent

__all__ = [
    "MAX_RECIPIENTS",
    "CoveringEmail",
    "LetterPreview",
    "Initialized",
    "MessageContent",
    "NewAttachment",
    "NotificationRequest",
    "check_attachment_name",
    "check_new_correspondence",
    "confirm",
    "correspondence_changes",
    "covering_email",
    "default_recipients",
    "create_correspondence",
    "delete_correspondence",
    "email_correspondence",
    "initialize_attachment",
    "initialize_dispatch",
    "mark_delivered",
    "mark_read",
    "preview_correspondence",
    "preview_correspondence_changes",
    "publish_due_correspondences",
    "purge",
    "record_message_failed",
    "record_message_sent",
    "record_notification_outcome",
    "render_again",
    "render_correspondence",
    "send_due_notifications",
    "update_correspondence",
    "purge_attachment",
    "upload_attachment",
    "validate_content",
]
