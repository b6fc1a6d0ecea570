from django.urls import re_path

from . import views

# The document writes some paths with a trailing slash and some without; both forms answer.
urlpatterns = [
    re_path(r"^correspondence/?$", views.CorrespondenceListView.as_view(), name="letters-correspondence-list"),
    re_path(
        r"^correspondence/(?P<pk>[^/]+)/?$", views.CorrespondenceDetailView.as_view(), name="letters-correspondence"
    ),
    re_path(
        r"^customers/(?P<pk>[^/]+)/correspondence/?$",
        views.CustomerCorrespondenceView.as_view(),
        name="letters-customer-correspondence",
    ),
]
