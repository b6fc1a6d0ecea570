from django.core.management.base import BaseCommand
from tqdm import tqdm

from communications.services import outbound


class Command(BaseCommand):
    help = (
        "Send the outbound emails and SMS that are waiting: rows no worker picked up (the broker was down) "
        "and rows due for a retry. First recovers rows whose worker died mid-send (queued again if nothing "
        "left; marked failed if the hand-off may have happened, so nothing is sent twice). By default each "
        "row is handed to the Celery workers again; --inline sends them from this process instead."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--inline",
            action="store_true",
            help="Send from this process (one SMTP connection for the batch) instead of handing rows to workers.",
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
        sent = failed = handed = 0
        with outbound.MailerSession() as session:
            for message_id, channel in tqdm(rows, desc="send_pending", unit="msg", disable=not rows, file=self.stderr):
                if not inline:
                    handed += outbound.dispatch(message_id, channel)
                    continue
                message = outbound.deliver(message_id, session=session)
                if message is not None and message.status == "SENT":
                    sent += 1
                elif message is not None:
                    failed += 1
        if inline:
            self.stdout.write(f"{len(rows)} waiting: {sent} sent, {failed} not sent (retried later or failed).")
        else:
            self.stdout.write(f"{len(rows)} waiting: {handed} handed to the workers.")
