"""gunicorn settings for `make run` and for running at scale (`gunicorn config.wsgi -c config/gunicorn.py`)."""

import multiprocessing
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2))
# Seed 004 sends its key in an `api_key` header; gunicorn drops names with underscores unless told not to.
header_map = "dangerous"
accesslog = os.environ.get("ACCESS_LOG", "-")
timeout = 60
