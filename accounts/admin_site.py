from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.urls import path

from .admin_export import export_changelist
from .backoffice import dashboard_attention, dashboard_charts


class BackOfficeSite(admin.AdminSite):
    site_header = "Customer correspondence"
    site_title = "Correspondence back-office"
    index_title = "Back-office"
    # The side menu took a fifth of a 1440 px screen from every list; the index and breadcrumbs lead everywhere.
    enable_nav_sidebar = False
    # There is no public site behind the back-office: "View site" led to a bare 404.
    site_url = None

    def get_urls(self):
        export = self.admin_view(self.export_view)
        return [path("<app_label>/<model_name>/export.csv", export, name="export_csv"), *super().get_urls()]

    def export_view(self, request, app_label: str, model_name: str):
        return export_changelist(self, request, app_label, model_name)

    def index(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "attention": dashboard_attention(request.user),
            "charts": dashboard_charts(request.user),
        }
        return super().index(request, extra_context)


class BackOfficeAdminConfig(AdminConfig):
    default_site = "accounts.admin_site.BackOfficeSite"
