#!/usr/bin/env python
"""The framework floor's manage.py (bench/framework_floor.py migrates with it)."""

import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "floorsite.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
