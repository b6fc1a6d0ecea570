from django.apps import AppConfig


class CorrespondenceConfig(AppConfig):
    name = "correspondence"
    verbose_name = "Correspondence"

    def ready(self):
        from django.conf import settings

        from . import receivers  # noqa: F401  connects to the outbound channel's signals
        from .pdf import use_unicode_font

        use_unicode_font(settings.LETTER_UNICODE_FONT, settings.LETTER_UNICODE_FONT_BOLD)
