"""The communications admin, one module per kind of record; importing them registers their screens."""

from . import outbound, queue, records  # noqa: F401
