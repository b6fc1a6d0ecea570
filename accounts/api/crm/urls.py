from django.urls import path

from . import views

urlpatterns = [
    path("authentication/login", views.LoginView.as_view(), name="crm-login"),
]
