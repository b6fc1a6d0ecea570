from django.core.management.base import CommandError

from accounts.commands import ActorCommand
from accounts.models import ApiKeyMode
from accounts.scopes import ALL_SCOPES, parse_scopes
from accounts.services import create_api_key


class Command(ActorCommand):
    help = (
        "Create an API key and print it (only the key, once: it is stored hashed). "
        f"Scopes: all, or a comma-separated list of {', '.join(ALL_SCOPES)}."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help="Who or what the key is for.")
        parser.add_argument("--scopes", required=True, help="all, or SCOPE[,SCOPE...]")
        parser.add_argument(
            "--mode", choices=ApiKeyMode.values, default=ApiKeyMode.LIVE, help="live (default) or test."
        )
        parser.add_argument(
            "--postal-account",
            action="append",
            default=[],
            dest="postal_accounts",
            help="A postal account (e.g. ABC12345) whose letters the key may read; repeat for several.",
        )
        parser.add_argument(
            "--requests-per-minute",
            type=int,
            default=None,
            help="The key's own rate limit (default: API_KEY_REQUESTS_PER_MINUTE, 3,000 unless set).",
        )

    def handle(self, *args, name, scopes, mode, postal_accounts, requests_per_minute, **options):
        try:
            scope_list = parse_scopes(scopes)
        except ValueError as error:
            raise CommandError(str(error)) from None
        accounts = [code.strip() for value in postal_accounts for code in value.split(",") if code.strip()]
        if requests_per_minute is not None and requests_per_minute < 1:
            raise CommandError("--requests-per-minute must be 1 or more.")
        key = create_api_key(
            name, scope_list, mode=mode, postal_accounts=accounts, requests_per_minute=requests_per_minute
        )
        self.stdout.write(key)
