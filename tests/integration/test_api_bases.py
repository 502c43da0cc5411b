"""The APIs fail closed: every routed DRF view stands on one of the bases of its host, a subclass
cannot loosen a base, and a view on no base refuses everyone (DRF's default is DenyAll)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory, force_authenticate
from rest_framework.views import APIView

from shared_apps.accounts.models import StaffRole, User, UserKind
from shared_apps.operators.api_auth import PlatformApiView
from shared_apps.web.api import FIXED_ATTRIBUTES, FailClosedApiView
from tenant_apps.access.api import (
    PRACTICE_API_BASES,
    PracticeAccountApiView,
    PracticeStaffApiView,
)
from tests.cast import Cast

Patterns = Sequence[URLPattern | URLResolver]

# Views that may stand on no base, each with its reason.
ALLOWED_OFF_BASE: dict[type[APIView], str] = {
    SpectacularAPIView: "the OpenAPI schema describes the API, never data (SPECTACULAR_SETTINGS)",
}


def _api_views(patterns: Patterns, prefix: str = "") -> Iterator[tuple[str, type[APIView]]]:
    """(route, view class) for every DRF view under `patterns`."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _api_views(pattern.url_patterns, prefix + str(pattern.pattern))
            continue
        view_class = getattr(pattern.callback, "cls", None)
        if isinstance(view_class, type) and issubclass(view_class, APIView):
            yield prefix + str(pattern.pattern), view_class


def views_off_base(patterns: Patterns, bases: tuple[type[FailClosedApiView], ...]) -> list[str]:
    """The routed DRF views that do not derive from one of `bases` (and are not allowed by
    name). A class that declares itself a base (`base=True`) to loosen one is caught too: the
    nearest base of every view must be one of `bases`."""
    return sorted(
        f"/{route} → {view_class.__qualname__}"
        for route, view_class in _api_views(patterns)
        if view_class not in ALLOWED_OFF_BASE
        and not (issubclass(view_class, FailClosedApiView) and view_class.fail_closed_base in bases)
    )


@pytest.mark.parametrize(
    ("urlconf", "bases"),
    [("config.urls_tenant", PRACTICE_API_BASES), ("config.urls_public", (PlatformApiView,))],
)
def test_every_routed_api_view_derives_from_a_base_of_its_host(
    urlconf: str, bases: tuple[type[FailClosedApiView], ...]
) -> None:
    patterns = get_resolver(urlconf).url_patterns
    assert len(list(_api_views(patterns))) > len(ALLOWED_OFF_BASE)
    assert views_off_base(patterns, bases) == []


def test_only_me_is_open_to_clients_every_other_practice_api_view_is_staff_only() -> None:
    routed = {view for _, view in _api_views(get_resolver("config.urls_tenant").url_patterns)}
    on_account = {view.__name__ for view in routed if issubclass(view, PracticeAccountApiView)}
    assert on_account == {"MeView"}
    others = routed - ALLOWED_OFF_BASE.keys()
    assert len(others) > 1
    assert all(
        issubclass(view, PracticeStaffApiView) for view in others if view.__name__ != "MeView"
    )


class _Bare(APIView):
    def get(self, request: Request) -> Response:
        return Response({"secret": "phi"})


class _Open(APIView):
    permission_classes = (AllowAny,)

    def get(self, request: Request) -> Response:
        return Response({"secret": "phi"})


class _Staff(PracticeStaffApiView):
    def get(self, request: Request) -> Response:
        return Response({})


class _Loosened(PracticeStaffApiView, base=True):
    def get_permissions(self) -> list[object]:  # type: ignore[override]
        return [AllowAny()]


class _OnLoosened(_Loosened):
    pass


def _page(request: HttpRequest) -> HttpResponse:
    return HttpResponse()


def test_the_walker_names_each_view_off_its_base() -> None:
    synthetic: list[URLPattern | URLResolver] = [
        path("staff/", _Staff.as_view()),
        path("nested/", include([path("bare/", _Bare.as_view())])),
        path("open/", _Open.as_view()),
        path("loosened/", _OnLoosened.as_view()),
        path("platform/", PlatformApiView.as_view()),
        path("schema/", SpectacularAPIView.as_view()),
        path("page/", _page),  # a plain Django view is not the walker's business
    ]
    assert views_off_base(synthetic, PRACTICE_API_BASES) == [
        "/loosened/ → _OnLoosened",
        "/nested/bare/ → _Bare",
        "/open/ → _Open",
        "/platform/ → PlatformApiView",
    ]
    assert views_off_base(synthetic[:1], PRACTICE_API_BASES) == []


@pytest.mark.parametrize("base", [PracticeStaffApiView, PracticeAccountApiView, PlatformApiView])
@pytest.mark.parametrize("attribute", FIXED_ATTRIBUTES)
def test_a_subclass_cannot_set_what_its_base_fixes(
    base: type[FailClosedApiView], attribute: str
) -> None:
    with pytest.raises(TypeError, match=f"must not set {attribute}: {base.__name__} fixes"):
        type("Loose", (base,), {attribute: (AllowAny,)})


def _user(kind: UserKind, role: str = "") -> User:
    return User(pk=1, email="someone@example.com", kind=kind, role=role, is_active=True)


@pytest.mark.parametrize("view_class", [_Bare, FailClosedApiView])
def test_a_view_on_no_base_refuses_even_a_signed_in_owner(view_class: type[APIView]) -> None:
    request = APIRequestFactory().get("/")
    force_authenticate(request, user=_user(UserKind.STAFF, StaffRole.OWNER))
    response = view_class.as_view()(request)
    assert response.status_code == 403
    assert b"phi" not in response.rendered_content


@pytest.mark.django_db
def test_a_client_may_ask_who_they_are_but_not_call_a_staff_api(cast: Cast) -> None:
    browser = cast.a.signed_in(cast.a.client_user)
    me = browser.get("/api/v1/me/")
    assert me.status_code == 200
    assert me.json()["email"] == cast.a.client_user.email
    assert browser.get("/api/v1/clients/").status_code == 403
    assert Client(HTTP_HOST=cast.a.host).get("/api/v1/me/").status_code == 403
