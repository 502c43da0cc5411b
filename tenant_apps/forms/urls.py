"""Staff pages of the form builder, included at `/staff/forms/`."""

from __future__ import annotations

from django.urls import path

from tenant_apps.forms import views

app_name = "forms"
urlpatterns = [
    path("", views.form_list_page, name="list"),
    path("new/", views.form_create_page, name="create"),
    path("<int:form_id>/edit/", views.form_edit_page, name="edit"),
    path("<int:form_id>/archive/", views.form_archive_page, name="archive"),
    path("<int:form_id>/unarchive/", views.form_unarchive_page, name="unarchive"),
]
