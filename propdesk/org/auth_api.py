"""The staff API's sign-in: a token for a username and password (and the authenticator's code,
for those who enrolled one), and signing that token out. The checks are ``org.signin``'s."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from propdesk.core import serializers
from propdesk.core.api import IsStaff, validated
from propdesk.core.serializers import ErrorSerializer

from . import signin, tokens
from .authentication import StaffTokenAuthentication
from .models import StaffToken

ERROR = ErrorSerializer


class StaffSignInSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(
        max_length=128, trim_whitespace=False, style={"input_type": "password"}
    )
    otp = serializers.CharField(
        max_length=12,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("The 6-digit code from your authenticator app, if you enrolled one."),
    )


class StaffTokenSerializer(serializers.Serializer):
    token = serializers.CharField(
        help_text=_("Send it as “Authorization: Token <token>”. Shown once, never stored.")
    )
    token_type = serializers.CharField(default="Token")
    expires_at = serializers.DateTimeField()


class SignedInWithToken(permissions.BasePermission):
    """Staff, calling with a token: the token is what signing out ends."""

    def has_permission(self, request, view):
        return isinstance(request.auth, StaffToken) and IsStaff().has_permission(request, view)


class TokenView(APIView):
    """POST signs in for a token; DELETE revokes the token the call is made with."""

    authentication_classes = [StaffTokenAuthentication]

    def get_permissions(self):
        if self.request.method == "POST":
            return [permissions.AllowAny()]
        return [SignedInWithToken()]

    def get_throttles(self):
        return [signin.SignInRateThrottle()] if self.request.method == "POST" else []

    def perform_authentication(self, request):
        # Signing in is open: an old or bogus Authorization header is no reason to refuse it.
        if request.method != "POST":
            super().perform_authentication(request)

    @extend_schema(
        request=StaffSignInSerializer,
        responses={200: StaffTokenSerializer, 400: ERROR, 403: ERROR, 429: ERROR},
        auth=[],
        summary="Sign in for an API token",
        description=str(
            _(
                "A token for a member of staff, valid for PROPDESK_STAFF_TOKEN_DAYS (30 days by "
                "default). Wrong tries in a row lock the username for a while (429, code "
                "`locked`), and one address may try only so often (429, code `throttled`); see "
                "docs/api.md. A user who enrolled an authenticator app sends its code as `otp` "
                "(400, field `otp`, without it)."
            )
        ),
    )
    def post(self, request):
        data = validated(StaffSignInSerializer, request.data, request=request)
        user = signin.sign_in(
            request, username=data["username"], password=data["password"], code=data["otp"]
        )
        token, raw = tokens.token_issue(user=user)
        signin.signed_in(request, user)
        body = {"token": raw, "token_type": "Token", "expires_at": token.expires_at}
        return Response(StaffTokenSerializer(body).data, headers={"Cache-Control": "no-store"})

    @extend_schema(
        request=None,
        responses={204: OpenApiResponse(description=str(_("Signed out."))), 401: ERROR},
        summary="Revoke this token",
        description=str(_("Sign out: the token used for this call stops working at once.")),
    )
    def delete(self, request):
        tokens.token_revoke(token=request.auth)
        return Response(status=status.HTTP_204_NO_CONTENT)
