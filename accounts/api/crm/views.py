from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.response import Response

from accounts.credentials import check_password, issue_login_token

from .dialect import CrmView, enveloped


class CrmLoginSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"})


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()


class LoginView(CrmView):
    """POST authentication/login: a user's username and password for the `token` the other methods take."""

    permission_classes = []
    serializer_class = CrmLoginSerializer

    @extend_schema(
        operation_id="crmLogin",
        request=CrmLoginSerializer,
        responses={200: enveloped(TokenSerializer, "CrmLoginResult")},
        auth=[],
    )
    def post(self, request):
        serializer = CrmLoginSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user = check_password(request._request, data["username"], data["password"])
        if user is None:
            raise AuthenticationFailed("Invalid username or password.")
        return Response({"token": issue_login_token(user)})
