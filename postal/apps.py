from django.apps import AppConfig


class PostalConfig(AppConfig):
    name = "postal"
    verbose_name = "Postal letters"

    def ready(self):
        from correspondence import actions

        from . import receivers
        from .api.backend.actions import POST_ACTION

        receivers.connect()
        # The backend family's `post` action: registered from here because correspondence may not import postal.
        actions.register(POST_ACTION)
