from django.contrib import admin
from django.contrib.admin.apps import AdminConfig

from .backoffice import dashboard_charts


class BackOfficeSite(admin.AdminSite):
    site_header = "Customer correspondence"
    site_title = "Correspondence back-office"
    index_title = "Back-office"

    def index(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "charts": dashboard_charts(request.user)}
        return super().index(request, extra_context)


class BackOfficeAdminConfig(AdminConfig):
    default_site = "accounts.admin_site.BackOfficeSite"
