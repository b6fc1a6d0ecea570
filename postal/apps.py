from django.apps import AppConfig


class PostalConfig(AppConfig):
    name = "postal"
    verbose_name = "Postal letters"

    def ready(self):
        from correspondence import actions

        from . import receivers
        from .api.letters.actions import POST_ACTION

        receivers.connect()
        # The letters API's `post` action: registered from here because correspondence may not import postal.
        actions.register(POST_ACTION)
