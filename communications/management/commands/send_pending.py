from tqdm import tqdm

from accounts.commands import ActorCommand
from communications import outbound


class Command(ActorCommand):
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
        quiet = options.get("verbosity", 1) < 1

        def progress(description, total):
            return tqdm(total=total, desc=description, unit="msg", disable=quiet or not total, file=self.stderr)

        # Every row waiting now, the ones still inside the beat sweep's grace period too.
        result = outbound.sweep(grace=False, limit=limit, inline=inline, progress=progress)
        if result.requeued or result.unknown_outcome:
            self.stdout.write(
                f"Recovered abandoned rows: {result.requeued} queued again, "
                f"{result.unknown_outcome} failed (outcome unknown)."
            )
        if inline:
            self.stdout.write(
                f"{result.sent + result.not_sent} waiting: {result.sent} sent, "
                f"{result.not_sent} not sent (retried later or failed)."
            )
        else:
            self.stdout.write(f"{result.due} waiting: {result.woken_for} handed to the workers.")
