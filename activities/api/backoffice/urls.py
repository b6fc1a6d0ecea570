from django.urls import path

from . import views

urlpatterns = [
    # The seed lists activities at `/activities/` and creates them at `/activities`: both answer.
    path("activities/", views.ActivityListView.as_view(), name="backoffice-activities"),
    path("activities", views.ActivityListView.as_view(schema=None), name="backoffice-activities-no-slash"),
    path("activities/<str:pk>", views.ActivityDetailView.as_view(), name="backoffice-activity"),
    path("activities/<str:pk>/tags", views.ActivityTagsView.as_view(), name="backoffice-activity-tags"),
    path("activity_types", views.ActivityTypeListView.as_view(), name="backoffice-activity-types"),
    path("tags", views.TagListView.as_view(), name="backoffice-tags"),
]
