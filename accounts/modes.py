"""Live and test mode: the one place every scoped query is filtered by the caller's mode."""

from django.db import models


class ModeQuerySet(models.QuerySet):
    def in_mode(self, is_test: bool):
        return self.filter(is_test=is_test)


def request_is_test(request) -> bool:
    """True when the caller authenticated with a test-mode key; user logins always work on live data."""
    return bool(getattr(request.auth, "is_test", False))
