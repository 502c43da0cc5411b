"""URLs of a practice's host: the client portal at `/`, staff at `/staff/`.

Every route here must have a case in tests/integration/isolation/ (the route-walker test fails
otherwise).
"""

from __future__ import annotations

from django.urls import include, path

urlpatterns = [
    path("staff/", include("tenant_apps.staff.urls")),
    path("", include("tenant_apps.portal.urls")),
]
