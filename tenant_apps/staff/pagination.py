"""Pages of the staff API (`/api/v1/…` lists): 25 items a page, chosen with `?page=`, answered as
`{count, next, previous, results}` — one shape for every list, so a caller pages them alike."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.views import APIView

from tenant_apps.audit.services import audit_record
from tenant_apps.staff.access import api_staff_user, django_request

PAGE_SIZE = 25


class StaffApiPagination(PageNumberPagination):
    page_size = PAGE_SIZE

    def page_number(self) -> int:
        """The page just answered, for the audit log (1 when the list was empty)."""
        return self.page.number if self.page else 1

    def listed_page(
        self,
        queryset: QuerySet[Any],
        *,
        request: Request,
        view: APIView,
        action: str,
        object_type: str,
    ) -> list[Any]:
        """The requested page of `queryset`, audited as `action` (by the caller, on
        `object_type`) with the page number and how many were shown: counts only."""
        shown = list(self.paginate_queryset(queryset, request, view=view) or [])
        audit_record(
            action=action,
            request=django_request(request),
            actor=api_staff_user(request),
            object_type=object_type,
            detail={"page": self.page_number(), "shown": len(shown)},
        )
        return shown


class PageOutput(serializers.Serializer[Any]):
    """One page as `StaffApiPagination` answers it (for the schema); a subclass declares
    `results`."""

    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
