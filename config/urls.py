from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from accounts.api.backoffice.dialect import BackofficeView
from accounts.api.crm.dialect import CrmView
from accounts.api.fallback import unknown_route
from correspondence.api.altinn.dialect import AltinnView
from correspondence.api.backend.dialect import BackendView
from postal.api.jsonrpc.dialect import unknown_endpoint as postal_unknown_endpoint

from .health import healthz

handler500 = "config.errors.server_error"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("backoffice/v2/", include("accounts.api.backoffice.urls")),
    path("backoffice/v2/", include("activities.api.backoffice.urls")),
    path("crmapi/rest/v2/", include("communications.api.crm.urls")),
    path("crmapi/rest/v2/", include("accounts.api.crm.urls")),
    path("backend/api/v1/", include("correspondence.api.backend.urls")),
    path("publicinterface/", include("postal.api.jsonrpc.urls")),
    path("postal/", include("postal.urls")),
    path("correspondence/api/v1/", include("correspondence.api.altinn.urls")),
    # Paths under a family's prefix that name no endpoint get a 404 in that family's own error body.
    re_path(r"^backoffice/v2/", unknown_route(BackofficeView), name="backoffice-unknown"),
    re_path(r"^crmapi/rest/v2/", unknown_route(CrmView), name="crm-unknown"),
    re_path(r"^backend/api/v1/", unknown_route(BackendView), name="backend-unknown"),
    re_path(r"^publicinterface/", postal_unknown_endpoint, name="postal-unknown"),
    re_path(r"^correspondence/api/v1/", unknown_route(AltinnView), name="altinn-unknown"),
]
