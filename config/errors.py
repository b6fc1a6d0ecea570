"""Django's handler for errors no view answered: a database outage is a plain 503 page, not a 500."""

import sys

from django.http import HttpResponse
from django.template import loader
from django.views import defaults

from accounts.api.errors import RETRY_AFTER_SECONDS, database_unavailable


def server_error(request, template_name: str = "503.html"):
    # Django calls this inside the except block of the failed request, so the error is still in flight.
    if not database_unavailable(sys.exc_info()[1]):
        return defaults.server_error(request)
    # Rendered without the request: a context processor could reach for the database that is down.
    response = HttpResponse(loader.get_template(template_name).render(), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
