"""`/api/v1/me/`: who the caller is, in this practice."""

from __future__ import annotations

from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from shared_apps.accounts.fields import EmailSerializerField


class MeOutput(serializers.Serializer[object]):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    role = serializers.CharField()
    email = EmailSerializerField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()


class MeView(APIView):
    """The signed-in account (session or, later, token auth). Anonymous callers get 403."""

    serializer_class = MeOutput

    def get(self, request: Request) -> Response:
        return Response(MeOutput(request.user).data)
