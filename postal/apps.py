from django.apps import AppConfig


class PostalConfig(AppConfig):
    name = "postal"
    verbose_name = "Postal letters"

    def ready(self):
        from . import receivers

        receivers.connect()
