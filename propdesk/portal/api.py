"""The customer API (/api/v1/portal/): the resident portal's pages, for an app.

A customer signs in with their mobile and an SMS code or a password (``portal.services``: the same
rate limits, expiry and lockout as the portal), gets a token (``portal.tokens``), and then sees and
acts on their own households and requests only: another customer's is not found (404). Thin like
the staff API: reads through ``portal.selectors`` (and the one list query below), every change
one call to a service, whose ``DomainError`` the API's handler turns into JSON.
"""

from contextlib import contextmanager

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, permissions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from propdesk.core.api import validated
from propdesk.core.errors import DomainError, NotFound
from propdesk.core.inbox import inbox_for_customer, inbox_mark_read, unread_count
from propdesk.core.serializers import ErrorSerializer
from propdesk.customers.services import customer_set_preferences

from . import selectors, services, tokens
from . import serializers as s
from .authentication import IsPortalCustomer, PortalTokenAuthentication
from .models import PortalAccount

ERROR = ErrorSerializer  # the API's one error shape
SIGNED_IN = {401: ERROR}
READ_ERRORS = {**SIGNED_IN, 404: ERROR}
ACTION_ERRORS = {400: ERROR, **READ_ERRORS, 409: ERROR}
TAG = "customer"  # the customer API's endpoints, apart from the staff API's in the docs
CODE_SENT = _("If this number is registered with us, a code is on its way.")


@contextmanager
def refusal_about(field: str):
    """A refusal that names no input is about ``field``: the API always says which."""
    try:
        yield
    except DomainError as err:
        err.field = err.field or field
        raise


def own_household(account: PortalAccount, pk):
    try:
        return selectors.household_of(account, pk)
    except NotFound:
        raise NotFound(field="household") from None  # another customer's is not there at all


class AnonymousView(APIView):
    """Signing in: open to anyone, with no session (so no CSRF) and no staff token."""

    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]


class CustomerView:
    """Signed in as a customer with a token; a staff session or staff token is not enough."""

    authentication_classes = [PortalTokenAuthentication]
    permission_classes = [IsPortalCustomer]

    @property
    def account(self) -> PortalAccount:
        return self.request.auth.account


# --- signing in and out -------------------------------------------------------------------------


@extend_schema(tags=[TAG])
class CodeRequestView(AnonymousView):
    @extend_schema(
        request=s.PortalCodeRequestSerializer,
        responses={202: s.PortalCodeSentSerializer, 400: ERROR, 429: ERROR},
        description=str(
            _(
                "Send a sign-in code by SMS. The answer never says whether the number is "
                "registered. At most one code a minute and five an hour for a number (429)."
            )
        ),
    )
    def post(self, request):
        data = validated(s.PortalCodeRequestSerializer, request.data, request=request)
        services.code_request(phone=data["phone"])
        return Response({"detail": str(CODE_SENT)}, status=status.HTTP_202_ACCEPTED)


@extend_schema(tags=[TAG])
class TokenView(AnonymousView):
    @extend_schema(
        request=s.PortalSignInSerializer,
        responses={200: s.PortalTokenSerializer, 400: ERROR, 429: ERROR},
        description=str(
            _(
                "Sign in with the mobile number and either the code from the SMS or the password; "
                "the answer is a token valid for 30 days. Five wrong tries in a row lock the "
                "account for 15 minutes (429)."
            )
        ),
    )
    def post(self, request):
        data = validated(s.PortalSignInSerializer, request.data, request=request)
        # Not inside one transaction with the token: each sign-in commits its own count of
        # failed tries, which the lockout needs even though it then refuses.
        if data["code"]:
            account = services.code_sign_in(phone=data["phone"], code=data["code"])
        else:
            account = services.password_sign_in(phone=data["phone"], password=data["password"])
        token, raw = tokens.token_issue(account=account)
        body = {"token": raw, "token_type": "Bearer", "expires_at": token.expires_at}
        return Response(s.PortalTokenSerializer(body).data, headers={"Cache-Control": "no-store"})


@extend_schema(tags=[TAG])
class SignOutView(CustomerView, APIView):
    @extend_schema(
        request=None,
        responses={204: OpenApiResponse(description=str(_("Signed out."))), **SIGNED_IN},
        description=str(_("Sign out: the token used for this call stops working.")),
    )
    def post(self, request):
        tokens.token_revoke(token=request.auth)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- who I am, what I may ask for --------------------------------------------------------------


@extend_schema(tags=[TAG])
class MeView(CustomerView, APIView):
    @extend_schema(
        responses={200: s.PortalMeSerializer, **SIGNED_IN},
        description=str(_("The signed-in customer and their households (units).")),
    )
    def get(self, request):
        account = self.account
        me = {
            "customer": account.customer,
            "phone": account.phone,
            "has_password": bool(account.password),
            "households": selectors.households_of(account),
        }
        return Response(s.PortalMeSerializer(me).data)


@extend_schema(tags=[TAG])
class PreferencesView(CustomerView, APIView):
    @extend_schema(
        responses={200: s.PortalPreferencesSerializer, **SIGNED_IN},
        description=str(
            _(
                "How the customer wants to hear from us. Every message also goes to their "
                "in-app inbox (`messages/`)."
            )
        ),
    )
    def get(self, request):
        return Response(s.PortalPreferencesSerializer(self.account.customer).data)

    @extend_schema(
        request=s.PortalPreferencesSerializer,
        responses={200: s.PortalPreferencesSerializer, 400: ERROR, **SIGNED_IN},
        description=str(
            _(
                "Change any of the choices; those left out stay. Messages by e-mail need an "
                "e-mail address (400 naming `email`)."
            )
        ),
    )
    def patch(self, request):
        data = validated(s.PortalPreferencesSerializer, request.data, request=request)
        customer = customer_set_preferences(customer=self.account.customer, **data)
        return Response(s.PortalPreferencesSerializer(customer).data)


@extend_schema(tags=[TAG])
class PasswordView(CustomerView, APIView):
    @extend_schema(
        request=s.PortalPasswordSerializer,
        responses={204: OpenApiResponse(description=str(_("Password set."))), 400: ERROR},
        description=str(_("Set or change the password for signing in without a code.")),
    )
    def post(self, request):
        data = validated(s.PortalPasswordSerializer, request.data, request=request)
        services.password_set(
            account=self.account, password=data["password"], keep_token=request.auth
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(
    tags=[TAG],
    responses={200: s.PortalMessageSerializer(many=True), **SIGNED_IN},
    description=str(_("The customer's in-app messages, newest first.")),
)
class MessageList(CustomerView, generics.ListAPIView):
    serializer_class = s.PortalMessageSerializer

    def get_queryset(self):
        return inbox_for_customer(self.account.customer)


@extend_schema(tags=[TAG])
class UnreadView(CustomerView, APIView):
    @extend_schema(
        responses={200: s.PortalUnreadSerializer, **SIGNED_IN},
        description=str(_("How many messages the customer has not read: the app's badge.")),
    )
    def get(self, request):
        return Response({"unread": unread_count(customer=self.account.customer)})

    @extend_schema(
        request=None,
        responses={200: s.PortalUnreadSerializer, **SIGNED_IN},
        description=str(_("Mark every message read; the answer is the new count, 0.")),
    )
    def post(self, request):
        inbox_mark_read(customer=self.account.customer)
        return Response({"unread": 0})
