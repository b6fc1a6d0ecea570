from django.urls import re_path

from .methods import service

urlpatterns = [
    re_path(r"^jsonrpc/?$", service.as_view(), name="postal-jsonrpc"),
]
