from django.urls import path

from . import views


def both_forms(route: str, view, name: str, documented_with_slash: bool):
    """The document writes some paths with a trailing slash and some without; each answers in both forms.

    The form the document uses is the one in the OpenAPI schema.
    """
    documented, other = (f"{route}/", route) if documented_with_slash else (route, f"{route}/")
    return [path(documented, view.as_view(), name=name), path(other, view.as_view(schema=None))]


urlpatterns = [
    *both_forms("correspondence", views.CorrespondenceListView, "backend-correspondence-list", True),
    *both_forms("correspondence/<str:pk>", views.CorrespondenceDetailView, "backend-correspondence", False),
    *both_forms(
        "customers/<str:pk>/correspondence", views.CustomerCorrespondenceView, "backend-customer-correspondence", True
    ),
]
