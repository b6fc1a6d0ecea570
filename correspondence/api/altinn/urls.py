from django.urls import path

from . import views

urlpatterns = [
    path("attachment", views.InitializeAttachmentView.as_view(), name="altinn-attachments"),
    path("attachment/<str:attachment_id>", views.AttachmentOverviewView.as_view(), name="altinn-attachment"),
    path(
        "attachment/<str:attachment_id>/details",
        views.AttachmentDetailsView.as_view(),
        name="altinn-attachment-details",
    ),
    path(
        "attachment/<str:attachment_id>/upload", views.UploadAttachmentView.as_view(), name="altinn-attachment-upload"
    ),
    path(
        "attachment/<str:attachment_id>/download",
        views.DownloadAttachmentView.as_view(),
        name="altinn-attachment-download",
    ),
    path("correspondence", views.InitializeCorrespondencesView.as_view(), name="altinn-correspondences"),
    path(
        "correspondence/<str:correspondence_id>",
        views.CorrespondenceOverviewView.as_view(),
        name="altinn-correspondence",
    ),
    path(
        "correspondence/<str:correspondence_id>/details",
        views.CorrespondenceDetailsView.as_view(),
        name="altinn-correspondence-details",
    ),
    path(
        "correspondence/<str:correspondence_id>/markasread",
        views.MarkAsReadView.as_view(),
        name="altinn-correspondence-markasread",
    ),
    path(
        "correspondence/<str:correspondence_id>/confirm",
        views.ConfirmView.as_view(),
        name="altinn-correspondence-confirm",
    ),
    path(
        "correspondence/<str:correspondence_id>/purge",
        views.PurgeView.as_view(),
        name="altinn-correspondence-purge",
    ),
]
