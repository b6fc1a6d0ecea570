from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.db import transaction

from accounts.commands import ActorCommand


class Command(ActorCommand):
    help = (
        "Load the demo data set (idempotent): the reference names the public documents' examples use, "
        "contacts with accounts, and each app's own demo records."
    )

    def handle(self, *args, **options):
        # Each app contributes a `demo.load()`; apps are visited in dependency order (INSTALLED_APPS).
        for app in apps.get_app_configs():
            if find_spec(f"{app.name}.demo") is None:
                continue
            with transaction.atomic():
                summary = import_module(f"{app.name}.demo").load()
            self.stdout.write(f"{app.verbose_name}: {summary}")
