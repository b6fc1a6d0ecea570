from tqdm import tqdm

from accounts.commands import ActorCommand
from correspondence import selectors, services


class Command(ActorCommand):
    help = (
        "Render the PDF of every correspondence that has no current one (never rendered, changed since, "
        "or its last rendering failed), here in this process, with a progress bar."
    )

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=None, help="Render at most this many (oldest first).")

    def handle(self, *args, limit, **options):
        pending = selectors.awaiting_pdf().values_list("pk", flat=True)
        ids = list(pending[:limit] if limit else pending)
        failed = 0
        for correspondence_id in tqdm(
            ids, desc="Rendering", unit="letter", disable=not ids or options["verbosity"] < 1
        ):
            try:
                services.render_correspondence(correspondence_id)
            except Exception as error:  # one broken letter must not stop the rest; each is kept on its record
                failed += 1
                self.stderr.write(f"{correspondence_id}: {type(error).__name__}: {error}")
        self.stdout.write(f"Rendered {len(ids) - failed} of {len(ids)} correspondence PDF(s).")
        if failed:
            self.stdout.write(f"{failed} failed; the reason is on each record (admin: Correspondence, status filter).")
