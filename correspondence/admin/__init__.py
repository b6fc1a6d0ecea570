"""Staff screens of correspondence, by sub-domain; importing them registers them with the admin site."""

from . import dispatches, letters  # noqa: F401
