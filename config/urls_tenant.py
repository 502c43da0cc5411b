"""URLs of a practice's host: the practice API at `/api/v1/`, staff at `/staff/`, the client
portal at `/`. One row per app and audience: each app's `urls.py` says what it adds where.

Every route here must have a case in tests/integration/isolation/ (the route-walker test fails
otherwise), and every API view derives from a base of tenant_apps/access/api.py (the API
walker in tests/integration/test_api_bases.py fails otherwise).
"""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView

from tenant_apps.accounts import urls as accounts
from tenant_apps.audit import urls as audit
from tenant_apps.clients import urls as clients
from tenant_apps.documents import urls as documents
from tenant_apps.forms import urls as forms
from tenant_apps.invitations import urls as invitations
from tenant_apps.messaging import urls as messaging
from tenant_apps.notifications import urls as notifications
from tenant_apps.onboarding import urls as onboarding
from tenant_apps.portal import urls as portal
from tenant_apps.practice_settings import urls as practice_settings
from tenant_apps.staff import urls as staff
from tenant_apps.staff_notifications import urls as staff_notifications

api: list[URLPattern | URLResolver] = [
    *accounts.api_patterns,  # me/: who is calling
    *clients.api_patterns,  # client records
    *invitations.api_patterns,  # send, resend, revoke a client's invitation
    *forms.api_patterns,  # forms, sharing them with a client, submissions
    *messaging.api_patterns,  # conversations and messages
    *documents.api_patterns,  # shared documents, client uploads
]

staff_pages: list[URLPattern | URLResolver] = [
    *staff.staff_patterns,  # home, sign-in hand-off, email confirmation
    *accounts.staff_patterns,  # profile, team, two-factor, API tokens
    *clients.staff_patterns,  # client list, record, import
    *onboarding.staff_patterns,  # a client's setup wizard and Portal tab
    *invitations.staff_patterns,  # invite, resend, revoke; bulk invitations
    *forms.staff_patterns,  # form builder, documentation shared with a client, submissions
    *messaging.staff_patterns,  # inbox, conversations
    *documents.staff_patterns,  # a client's documents
    *notifications.staff_patterns,  # emails sent to a client
    *staff_notifications.staff_patterns,  # notification centre
    *audit.staff_patterns,  # audit log
    *practice_settings.staff_patterns,  # settings
]

portal_pages: list[URLPattern | URLResolver] = [
    *portal.portal_patterns,  # home, sign-in, invitation, onboarding, preferences
    *accounts.portal_patterns,  # password reset (clients and staff)
    *forms.portal_patterns,  # Documents & forms, filling a form
    *messaging.portal_patterns,  # messages
    *documents.portal_patterns,  # shared documents, uploads
]

urlpatterns = [
    path(
        "api/schema/", SpectacularAPIView.as_view(urlconf="config.urls_tenant"), name="api-schema"
    ),
    path("api/v1/", include(api)),
    path("staff/", include(staff_pages)),
    *documents.download_link_patterns,  # /files/<token>/: links handed out by the API
    path("", include(portal_pages)),
]
