from tqdm import tqdm

from accounts.commands import ActorCommand
from postal.models import Letter, LetterStatus
from postal.services import lodge_due_letters


class Command(ActorCommand):
    help = (
        "Hand every Received letter to its transport (the mail house for POST). Letters the mail house is "
        "still producing stay Received for the next run. Celery beat runs the same sweep every "
        "POSTAL_LODGE_EVERY_SECONDS."
    )

    def add_arguments(self, parser):
        parser.add_argument("--no-progress", action="store_true", help="Do not draw a progress bar.")

    def handle(self, *args, no_progress, **options):
        waiting = Letter.objects.filter(status=LetterStatus.RECEIVED).count()
        with tqdm(total=waiting, unit="letter", disable=no_progress, file=self.stderr) as bar:
            outcomes = lodge_due_letters(progress=bar.update)
        summary = ", ".join(f"{count} {outcome.replace('_', ' ')}" for outcome, count in sorted(outcomes.items()))
        self.stdout.write(f"{waiting} letter(s) waiting: {summary or 'nothing to do'}.")
