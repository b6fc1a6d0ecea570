from django.urls import path

from . import views

urlpatterns = [
    path("communications/show", views.CommunicationShowView.as_view(), name="crm-communications-show"),
    path("communications/list", views.CommunicationListView.as_view(), name="crm-communications-list"),
    path("communications/create", views.CommunicationCreateView.as_view(), name="crm-communications-create"),
    path("communications/update", views.CommunicationUpdateView.as_view(), name="crm-communications-update"),
    path("communications/complete", views.CommunicationCompleteView.as_view(), name="crm-communications-complete"),
    path(
        "communications/set_as_viewed",
        views.CommunicationSetAsViewedView.as_view(),
        name="crm-communications-set-as-viewed",
    ),
    path("communications/queue/show", views.QueueShowView.as_view(), name="crm-queue-show"),
    path("communications/queue/list", views.QueueListView.as_view(), name="crm-queue-list"),
    path("communications/queue/get_latest", views.QueueGetLatestView.as_view(), name="crm-queue-get-latest"),
    path("communications/queue/process", views.QueueProcessView.as_view(), name="crm-queue-process"),
    path("communications/queue/reject", views.QueueRejectView.as_view(), name="crm-queue-reject"),
    path("communications/queue/remove", views.QueueRemoveView.as_view(), name="crm-queue-remove"),
    path(
        "communications/queue/get_pending_completed",
        views.QueueGetPendingCompletedView.as_view(),
        name="crm-queue-get-pending-completed",
    ),
]
