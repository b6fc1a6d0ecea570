from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Customers and access"

    def ready(self):
        from . import (
            receivers,  # noqa: F401  gives every new user a GUID
            schema,  # noqa: F401  registers the OpenAPI descriptions of our authentication classes
        )
        from .actors import connect_task_signals

        connect_task_signals()
