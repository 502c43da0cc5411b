"""`/api/v1/me/`: who the caller is, in this practice."""

from __future__ import annotations

from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from shared_apps.accounts.fields import EmailSerializerField
from tenant_apps.access.api import PracticeAccountApiView


class MeOutput(serializers.Serializer[object]):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    role = serializers.CharField()
    email = EmailSerializerField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()


class MeView(PracticeAccountApiView):
    """The calling account, client or staff (session or staff token). Anonymous callers get
    403."""

    serializer_class = MeOutput

    def get(self, request: Request) -> Response:
        return Response(MeOutput(request.user).data)
