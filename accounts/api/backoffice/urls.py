from django.urls import path

from . import views

urlpatterns = [
    path("users/login", views.LoginView.as_view(), name="backoffice-login"),
    path("contacts", views.ContactListView.as_view(), name="backoffice-contacts"),
    path("contacts/<str:pk>", views.ContactDetailView.as_view(), name="backoffice-contact"),
    path("contacts/<str:pk>/addresses", views.ContactAddressesView.as_view(), name="backoffice-contact-addresses"),
    path("contacts/<str:pk>/accounts", views.ContactAccountsView.as_view(), name="backoffice-contact-accounts"),
    path("accounts/<str:pk>", views.AccountDetailView.as_view(), name="backoffice-account"),
    path("accounts/<str:pk>/actions", views.AccountActionsView.as_view(), name="backoffice-account-actions"),
]
