from django.conf import settings
from django.core.management.base import BaseCommand
from tqdm import tqdm

from communications.models import OutboundStatus
from communications.services import outbound


class Command(BaseCommand):
    help = (
        "Send the outbound emails and SMS that are waiting: rows no worker picked up (the broker was down) "
        "and rows due for a retry. First recovers rows whose worker died mid-send (queued again if nothing "
        "left; marked failed if the hand-off may have happened, so nothing is sent twice). By default the "
        "Celery workers are woken for them; --inline sends them from this process instead, in batches."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--inline",
            action="store_true",
            help="Send from this process (batches over one SMTP connection) instead of waking the workers.",
        )
        parser.add_argument("--limit", type=int, default=None, help="Handle at most this many rows.")

    def handle(self, *args, inline=False, limit=None, **options):
        requeued, unknown = outbound.recover_stale()
        if requeued or unknown:
            self.stdout.write(f"Recovered abandoned rows: {requeued} queued again, {unknown} failed (outcome unknown).")
        rows = outbound.due_messages(grace=False).values_list("pk", "channel")
        if limit is not None:
            rows = rows[:limit]
        rows = list(rows)
        if not inline:
            handed = outbound.wake_workers(rows)
            self.stdout.write(f"{len(rows)} waiting: {handed} handed to the workers.")
            return
        sent = not_sent = 0
        remaining = len(rows)
        with (
            outbound.MailerSession() as session,
            tqdm(total=remaining, desc="send_pending", unit="msg", disable=not rows, file=self.stderr) as progress,
        ):
            while remaining > 0:
                batch = outbound.deliver_due(limit=min(remaining, settings.OUTBOUND_BATCH_SIZE), session=session)
                if not batch:
                    break
                remaining -= len(batch)
                progress.update(len(batch))
                delivered = sum(message.status == OutboundStatus.SENT for message in batch)
                sent += delivered
                not_sent += len(batch) - delivered
        self.stdout.write(f"{sent + not_sent} waiting: {sent} sent, {not_sent} not sent (retried later or failed).")
