"""Staff pages. Today the home page; clients, invitations and settings come with their issues."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_required
def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_practice_staff:  # type: ignore[union-attr]
        raise PermissionDenied
    return render(request, "staff/home.html", {"practice": request.tenant})  # type: ignore[attr-defined]
