import csv
from pathlib import Path

from django.core.management.base import CommandError
from tqdm import tqdm

from accounts.commands import ActorCommand
from postal.services import import_returns


class Command(ActorCommand):
    help = (
        "Mark the letters a carrier returned as Returned. FILE is a CSV with the columns account and ref, and "
        "optionally reason (a header row), or, with --account, one ref per line. Only Lodged letters change; "
        "the summary counts the rest."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The carrier's list of returned letters.")
        parser.add_argument("--account", help="The postal account of every ref in FILE (a plain list of refs).")
        parser.add_argument("--chunk-size", type=int, default=1000, help="Refs applied per statement (1000).")
        parser.add_argument("--no-progress", action="store_true", help="Do not draw a progress bar.")

    def handle(self, *args, file: Path, account, chunk_size, no_progress, **options):
        if chunk_size < 1:
            raise CommandError("--chunk-size must be 1 or more.")
        try:
            lines = file.read_text(encoding="utf-8-sig").splitlines()
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {file}: {error}") from None
        rows = self._rows(lines, account)
        with tqdm(total=len(rows), unit="ref", disable=no_progress, file=self.stderr) as bar:
            summary = import_returns(rows, chunk_size=chunk_size, progress=bar.update)
        self.stdout.write(
            f"{summary.returned} returned, {summary.already_returned} already returned, "
            f"{summary.not_lodged} not lodged (left as they are), {summary.unknown} unknown."
        )

    @staticmethod
    def _rows(lines: list[str], account: str | None) -> list[tuple[str, str, str]]:
        if account:
            return [(account, line.strip(), "") for line in lines if line.strip()]
        reader = csv.DictReader((line for line in lines if line.strip()), skipinitialspace=True)
        if not reader.fieldnames or not {"account", "ref"} <= {name.strip() for name in reader.fieldnames}:
            raise CommandError("The file needs a header row with the columns account and ref, or use --account.")
        return [
            (row["account"].strip(), row["ref"].strip(), (row.get("reason") or "").strip())
            for row in reader
            if (row.get("ref") or "").strip()
        ]
