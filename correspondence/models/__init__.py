"""The tables of correspondence, by sub-domain: letters per customer (seed 000) and Altinn dispatches (seed 001).

Django finds an app's models here, so every model is named once below; dispatches build on letters, never
the other way.
"""

from .dispatches import (
    PURGED,
    AttachmentStatus,
    Dispatch,
    DispatchedCorrespondence,
    DispatchedCorrespondenceStatus,
    DispatchedCorrespondenceStatusEvent,
    NotificationChannel,
    NotificationOrder,
    NotificationOrderStatus,
    NotificationState,
    NotificationTemplate,
    SharedAttachment,
    SharedAttachmentStatusEvent,
)
from .letters import (
    Correspondence,
    CorrespondenceAttachment,
    CorrespondenceEmail,
    CorrespondenceEmailResult,
    CorrespondenceRecipient,
    CorrespondenceSection,
    CorrespondenceStatus,
    CorrespondenceStatusChange,
    CorrespondenceType,
)

__all__ = [
    "PURGED",
    "AttachmentStatus",
    "Correspondence",
    "CorrespondenceAttachment",
    "CorrespondenceEmail",
    "CorrespondenceEmailResult",
    "CorrespondenceRecipient",
    "CorrespondenceSection",
    "CorrespondenceStatus",
    "CorrespondenceStatusChange",
    "CorrespondenceType",
    "Dispatch",
    "DispatchedCorrespondence",
    "DispatchedCorrespondenceStatus",
    "DispatchedCorrespondenceStatusEvent",
    "NotificationChannel",
    "NotificationOrder",
    "NotificationOrderStatus",
    "NotificationState",
    "NotificationTemplate",
    "SharedAttachment",
    "SharedAttachmentStatusEvent",
]
