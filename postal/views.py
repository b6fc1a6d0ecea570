"""Open tracking for letters sent by email or SMS. No credentials: the unguessable token is the key."""

import base64

from django.http import FileResponse, Http404, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import services

# A transparent 1x1 GIF.
PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")


@require_GET
@never_cache
def email_pixel(request, token: str) -> HttpResponse:
    # The same pixel for unknown tokens: the answer tells nothing about which tokens exist.
    services.record_email_open(token)
    return HttpResponse(PIXEL, content_type="image/gif")


@require_GET
@never_cache
def document(request, token: str) -> FileResponse:
    letter = services.record_document_open(token)
    if letter is None:
        raise Http404("No such letter.")
    return FileResponse(letter.pdf.open("rb"), content_type="application/pdf", filename=f"letter-{letter.dbid}.pdf")
