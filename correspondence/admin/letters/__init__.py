"""Staff screens of letters per customer; importing them registers them with the admin site."""

from . import letters, types  # noqa: F401
