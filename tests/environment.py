"""Loaded before Django (`-p tests.environment` in pyproject.toml), so `pytest` run directly works as under `make`:
the tests serve plain HTTP on loopback, signed with the key `make` keeps in .secret_key."""

import os
from pathlib import Path

os.environ.setdefault("HTTPS_ONLY", "false")
_local_key = Path(__file__).resolve().parent.parent / ".secret_key"
if "SECRET_KEY" not in os.environ and _local_key.exists():
    os.environ.setdefault("SECRET_KEY_FILE", str(_local_key))
