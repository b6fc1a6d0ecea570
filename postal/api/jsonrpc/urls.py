from django.urls import path

from .methods import service

# The seed writes the path without a trailing slash; it answers with one as well.
urlpatterns = [
    path("jsonrpc", service.as_view(), name="postal-jsonrpc"),
    path("jsonrpc/", service.as_view()),
]
