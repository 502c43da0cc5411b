"""Routes of the notification centre, mounted by config/urls_tenant.py: staff pages under
`/staff/notifications/` (namespace `staff_notifications`)."""

from __future__ import annotations

from django.urls import include, path

from tenant_apps.staff_notifications import views

_pages = [
    path("", views.notification_list_page, name="list"),
    path("bell/", views.bell, name="bell"),
    path("read-all/", views.notifications_mark_all_read, name="mark-all-read"),
    path("digest/", views.digest_preference, name="digest"),
    path("<int:notification_id>/", views.notification_open, name="open"),
    path("<int:notification_id>/read/", views.notification_mark_read, name="mark-read"),
]

staff_patterns = [path("notifications/", include((_pages, "staff_notifications")))]
