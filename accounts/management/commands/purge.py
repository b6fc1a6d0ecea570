from django.conf import settings
from django.core.management.base import CommandError
from tqdm import tqdm

from accounts import retention
from accounts.commands import ActorCommand


class Command(ActorCommand):
    help = (
        "Retention: remove or anonymise records older than RETENTION_DAYS (or --days) — outbound messages "
        "are deleted with their attachments, communications lose their addresses and text but keep their "
        "number and dates, postal letters lose their PDF and address but keep reference, status and price. "
        "Works in batches, one transaction each, so it can be stopped and run again. --dry-run only counts."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help=f"Keep records younger than this many days (default RETENTION_DAYS, now {settings.RETENTION_DAYS}).",
        )
        parser.add_argument("--batch-size", type=int, default=1000, help="Rows per transaction (default 1000).")
        parser.add_argument("--dry-run", action="store_true", help="Count what would be purged; change nothing.")

    def handle(self, *args, days, batch_size, dry_run, **options):
        if days is not None and days < 1:
            raise CommandError("--days must be at least 1.")
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        cutoff = retention.cutoff_for(days)
        quiet = options["verbosity"] < 1

        def progress(description, total):
            return tqdm(total=total, desc=description, unit="row", disable=quiet or not total, file=self.stderr)

        counts = retention.purge_all(cutoff, dry_run=dry_run, batch_size=batch_size, progress=progress)
        heading = "Would purge" if dry_run else "Purged"
        self.stdout.write(f"{heading} records created before {cutoff:%Y-%m-%d %H:%M %Z}:")
        for kind, rows in counts.items():
            self.stdout.write(f"  {kind}: {rows}")
