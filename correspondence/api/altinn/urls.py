from django.urls import path

from . import views

urlpatterns = [
    path("attachment", views.InitializeAttachmentView.as_view(), name="altinn-attachments"),
    path("attachment/<str:attachment_id>", views.AttachmentOverviewView.as_view(), name="altinn-attachment"),
    path(
        "attachment/<str:attachment_id>/upload", views.UploadAttachmentView.as_view(), name="altinn-attachment-upload"
    ),
    path(
        "attachment/<str:attachment_id>/download",
        views.DownloadAttachmentView.as_view(),
        name="altinn-attachment-download",
    ),
]
