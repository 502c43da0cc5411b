"""URLs of a practice's host: the client portal at `/`, staff at `/staff/`.

Every route here must have a case in tests/integration/isolation/ (the route-walker test fails
otherwise).
"""

from __future__ import annotations

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from shared_apps.accounts.api import MeView

urlpatterns = [
    path("api/v1/me/", MeView.as_view(), name="api-me"),
    path(
        "api/schema/", SpectacularAPIView.as_view(urlconf="config.urls_tenant"), name="api-schema"
    ),
    path("api/v1/", include("tenant_apps.clients.api_urls")),
    path("api/v1/", include("tenant_apps.invitations.api_urls")),
    path("api/v1/", include("tenant_apps.forms.api_urls")),
    path("api/v1/", include("tenant_apps.forms.submission_api_urls")),
    path("api/v1/", include("tenant_apps.messaging.api_urls")),
    path("api/v1/", include("tenant_apps.documents.api_urls")),
    path("staff/settings/", include("tenant_apps.practice_settings.urls")),
    path("staff/audit/", include("tenant_apps.audit.urls")),
    path("staff/clients/", include("tenant_apps.clients.urls")),
    path("staff/clients/", include("tenant_apps.invitations.urls")),
    path("staff/clients/", include("tenant_apps.documents.urls")),
    path("staff/clients/", include("tenant_apps.forms.documentation_urls")),
    path("staff/forms/", include("tenant_apps.forms.urls")),
    path("staff/clients/", include("tenant_apps.forms.submission_urls")),
    path("staff/clients/", include("tenant_apps.notifications.urls")),
    path("staff/notifications/", include("tenant_apps.staff_notifications.urls")),
    # Staff pages under /staff/messages/ and /staff/clients/<id>/messages/; the client's /messages/.
    path("", include("tenant_apps.messaging.urls")),
    path("staff/", include("tenant_apps.staff.urls")),
    path("", include("tenant_apps.forms.portal_urls")),
    path("documents/", include("tenant_apps.documents.portal_urls")),
    path("files/", include("tenant_apps.documents.link_urls")),
    path("", include("tenant_apps.portal.urls")),
]
