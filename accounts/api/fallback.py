"""A family-shaped 404 for paths under a family's prefix that name no endpoint."""

from rest_framework.exceptions import NotFound
from rest_framework.views import APIView


def unknown_route(base_view: type[APIView]):
    class UnknownRoute(base_view):
        authentication_classes = []
        permission_classes = []
        schema = None

        def dispatch_unknown(self, request, *args, **kwargs):
            raise NotFound("No such endpoint.")

        get = post = put = patch = delete = dispatch_unknown

    return UnknownRoute.as_view()
