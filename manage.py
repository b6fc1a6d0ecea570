#!/usr/bin/env python
import os
import sys
from pathlib import Path

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # Commands on a machine where `make run` or `make test` made a key use it; a server never reads it by default.
    local_key = Path(__file__).resolve().parent / ".secret_key"
    if local_key.exists():
        os.environ.setdefault("SECRET_KEY_FILE", str(local_key))
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
