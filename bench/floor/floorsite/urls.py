from django.http import HttpResponse
from django.urls import path
from notes import views

urlpatterns = [
    path("notes/", views.CreateNote.as_view()),
    path("notes/<int:pk>", views.ShowNote.as_view()),
    path("bare/notes/", views.create_note_bare),
    # What harness.gunicorn waits for before it measures.
    path("healthz", lambda request: HttpResponse("ok", content_type="text/plain")),
]
