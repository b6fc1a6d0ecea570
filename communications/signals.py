"""What the outbound channels tell the apps to their right, so communications never imports them.

Both are sent with `message=<OutboundMessage>` after the row is recorded, outside any transaction.
"""

from django.dispatch import Signal

message_sent = Signal()
message_failed = Signal()
