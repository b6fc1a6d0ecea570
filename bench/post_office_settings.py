"""The product's settings plus django-post_office, for the peer in bench/email_delivery.py only.

Its own database (the bench passes DATABASE_URL); the same mailer (EMAIL_HOST/EMAIL_PORT), so both
send to the same SMTP server. post_office's defaults: batches of 100, 5 threads a process,
a Log row per email.
"""

from config.settings import *  # noqa: F403
from config.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "post_office"]
