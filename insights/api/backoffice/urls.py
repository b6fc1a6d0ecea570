from django.urls import path

from . import views

urlpatterns = [
    # The seed writes `/insights` and `DELETE /insights/{id}/`: every path answers with and without the slash.
    path("insights", views.InsightListView.as_view(), name="backoffice-insights"),
    path("insights/", views.InsightListView.as_view(schema=None), name="backoffice-insights-slash"),
    path("insights/<str:pk>", views.InsightDetailView.as_view(), name="backoffice-insight"),
    path("insights/<str:pk>/", views.InsightDetailView.as_view(schema=None), name="backoffice-insight-slash"),
    path("insights/<str:pk>/events", views.InsightEventsView.as_view(), name="backoffice-insight-events"),
    path("insights/<str:pk>/filters", views.InsightFiltersView.as_view(), name="backoffice-insight-filters"),
    path("insights/<str:pk>/breakdowns", views.InsightBreakdownsView.as_view(), name="backoffice-insight-breakdowns"),
    path("insights/<str:pk>/results", views.InsightResultsView.as_view(), name="backoffice-insight-results"),
    path("insights/<str:pk>/preview", views.InsightPreviewView.as_view(), name="backoffice-insight-preview"),
    path("insights/<str:pk>/exports", views.InsightExportsView.as_view(), name="backoffice-insight-exports"),
    path("contacts/<str:pk>/analytics", views.ContactAnalyticsView.as_view(), name="backoffice-contact-analytics"),
    path(
        "organisations/<str:pk>/analytics",
        views.OrganisationAnalyticsView.as_view(),
        name="backoffice-organisation-analytics",
    ),
]
