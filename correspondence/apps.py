from django.apps import AppConfig


class CorrespondenceConfig(AppConfig):
    name = "correspondence"
    verbose_name = "Correspondence"

    def ready(self):
        from . import receivers  # noqa: F401  connects to the outbound channel's signals
