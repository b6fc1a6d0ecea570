from django.urls import path

from . import views

app_name = "postal"
urlpatterns = [
    path("track/<str:token>/pixel.gif", views.email_pixel, name="tracking-pixel"),
    path("track/<str:token>/letter.pdf", views.document, name="tracking-document"),
]
