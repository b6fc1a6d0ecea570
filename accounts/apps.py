from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Customers and access"

    def ready(self):
        from django.apps import apps
        from django.db.models.signals import pre_save

        from . import (
            receivers,  # noqa: F401  gives every new user a GUID
            schema,  # noqa: F401  registers the OpenAPI descriptions of our authentication classes
        )
        from .actors import connect_task_signals
        from .precompiled import convert_long_statements_once
        from .single_line import refuse_broken_lines, validate_in_forms

        connect_task_signals()
        convert_long_statements_once()
        pre_save.connect(refuse_broken_lines, dispatch_uid="accounts.single_line")
        validate_in_forms(apps.get_models())
