"""Pages of the staff API (`/api/v1/…` lists): 25 items a page, chosen with `?page=`, answered as
`{count, next, previous, results}` — one shape for every list, so a caller pages them alike.

A paginator writes no audit rows: the view audits the listing, with `page_counts()` as detail."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.views import APIView

PAGE_SIZE = 25


class StaffApiPagination(PageNumberPagination):
    page_size = PAGE_SIZE

    def page_items(self, queryset: QuerySet[Any], *, request: Request, view: APIView) -> list[Any]:
        """The requested page of `queryset` (404 for a page that does not exist)."""
        return list(self.paginate_queryset(queryset, request, view=view) or [])

    def page_counts(self) -> dict[str, int]:
        """The page just answered, for the audit log: its number and how many items it showed
        (counts only, never PHI)."""
        if self.page is None:
            return {"page": 1, "shown": 0}
        return {"page": self.page.number, "shown": len(self.page)}


class PageOutput(serializers.Serializer[Any]):
    """One page as `StaffApiPagination` answers it (for the schema); a subclass declares
    `results`."""

    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
