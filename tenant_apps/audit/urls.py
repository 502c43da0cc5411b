"""Routes of the audit log, mounted by config/urls_tenant.py: a staff page at `/staff/audit/`
(namespace `audit`)."""

from __future__ import annotations

from django.urls import include, path

from tenant_apps.audit import views

staff_patterns = [path("audit/", include(([path("", views.audit_log, name="log")], "audit")))]
