"""The customer API (/api/v1/portal/): the resident portal's pages, for an app.

A customer signs in with their mobile and an SMS code or a password (``portal.services``: the same
rate limits, expiry and lockout as the portal), gets a token (``portal.tokens``), and then sees and
acts on their own households and requests only: another customer's is not found (404). Thin like
the staff API: reads through ``portal.selectors`` (and the one list query below), every change
one call to a service, whose ``DomainError`` the API's handler turns into JSON.
"""

from contextlib import contextmanager

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from propdesk.aftercare.services import rework as aftercare_rework
from propdesk.catalog.selectors import items_for_office
from propdesk.core.errors import DomainError, NotFound
from propdesk.core.inbox import inbox_for_customer, inbox_mark_read, unread_count
from propdesk.core.media import serve_file
from propdesk.customers.services import customer_set_preferences
from propdesk.tickets import services as tickets
from propdesk.tickets.api import IDEMPOTENCY_KEY, idempotency_key_from
from propdesk.tickets.models import Channel, Kind, Ticket
from propdesk.tickets.serializers import TicketErrorSerializer

from . import selectors, services, tokens
from . import serializers as s
from .authentication import IsPortalCustomer, PortalTokenAuthentication
from .models import PortalAccount

ERROR = TicketErrorSerializer  # the API's one error shape
SIGNED_IN = {401: ERROR}
READ_ERRORS = {**SIGNED_IN, 404: ERROR}
ACTION_ERRORS = {400: ERROR, **READ_ERRORS, 409: ERROR}
TAG = "customer"  # the customer API's endpoints, apart from the staff API's in the docs
CODE_SENT = _("If this number is registered with us, a code is on its way.")


def _messages(errors) -> list[str]:
    """Every message under one field, however deeply DRF nested it (``photos[1]``…)."""
    if isinstance(errors, dict):
        return [m for value in errors.values() for m in _messages(value)]
    if isinstance(errors, list):
        return [m for value in errors for m in _messages(value)]
    return [str(errors)]


def _valid(serializer_class, request, data=None, **context) -> dict:
    serializer = serializer_class(
        data=request.data if data is None else data, context={"request": request, **context}
    )
    if not serializer.is_valid():
        raise ValidationError({key: _messages(value) for key, value in serializer.errors.items()})
    return serializer.validated_data


@contextmanager
def _about(field: str):
    """A refusal that names no input is about ``field``: the API always says which."""
    try:
        yield
    except DomainError as err:
        err.field = err.field or field
        raise


def _household(account: PortalAccount, pk):
    try:
        return selectors.household_of(account, pk)
    except NotFound:
        raise NotFound(field="household") from None  # another customer's is not there at all


def _requests(account: PortalAccount, *, household=None, statuses=()) -> QuerySet:
    """The customer's own requests, newest first (the ``ticket_customer`` index). Complaints are
    listed under /portal/complaints/."""
    qs = Ticket.objects.filter(customer=account.customer).exclude(kind=Kind.COMPLAINT)
    qs = qs.select_related("item", "household__unit__building__community")
    if household is not None:
        qs = qs.filter(household=household)
    if statuses:
        qs = qs.filter(status__in=statuses)
    return qs.order_by("-created_at", "-pk")


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
        data = _valid(s.PortalCodeRequestSerializer, request)
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
        data = _valid(s.PortalSignInSerializer, request)
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


@extend_schema(
    tags=[TAG],
    responses={200: s.PortalItemSerializer(many=True), **SIGNED_IN},
    description=str(_("The services the customer's office offers, for a new request's `item`.")),
)
class ItemList(CustomerView, generics.ListAPIView):
    serializer_class = s.PortalItemSerializer

    def get_queryset(self):
        return items_for_office(self.account.customer.office_id).filter(in_scope=True)


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
        data = _valid(s.PortalPreferencesSerializer, request)
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
        data = _valid(s.PortalPasswordSerializer, request)
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


# --- requests -----------------------------------------------------------------------------------


@extend_schema(tags=[TAG])
class RequestViewSet(CustomerView, viewsets.GenericViewSet):
    """The customer's own requests: list, file, read, and the customer's steps in them."""

    serializer_class = s.PortalRequestDetailSerializer
    queryset = Ticket.objects.none()  # for the schema only: every read is the customer's own
    lookup_value_regex = r"\d+"

    def _detail(self, pk, status_code=status.HTTP_200_OK) -> Response:
        ticket = selectors.request_of(self.account, pk)
        now = timezone.now()
        context = {
            "request": self.request,
            "now": now,
            "timeline": selectors.timeline_of(ticket),
            "pending_quote": selectors.pending_quote(ticket),
            "pending_proposal": selectors.pending_proposal(ticket, now),
            "photos": list(ticket.photos.values_list("pk", flat=True)),
            "can_rework": aftercare_rework.customer_may_rework(ticket, now),
        }
        data = s.PortalRequestDetailSerializer(ticket, context=context).data
        return Response(data, status=status_code)

    @extend_schema(
        parameters=[s.PortalRequestFilterSerializer],
        responses={200: s.PortalRequestListSerializer(many=True), 400: ERROR, **READ_ERRORS},
        description=str(_("The customer's own requests, newest first.")),
    )
    def list(self, request):
        params = request.query_params
        data = {key: params.get(key) for key in params if key != "status"}
        if "status" in params:
            data["status"] = [v for raw in params.getlist("status") for v in raw.split(",") if v]
        filters = _valid(s.PortalRequestFilterSerializer, request, data)
        household = filters.get("household")
        rows = _requests(
            self.account,
            household=_household(self.account, household) if household else None,
            statuses=filters.get("status", ()),
        )
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(s.PortalRequestListSerializer(page, many=True).data)

    @extend_schema(
        responses={200: s.PortalRequestDetailSerializer, **READ_ERRORS},
        description=str(
            _(
                "One of the customer's requests: its timeline as the customer sees it, the fee "
                "waiting for their answer, and whether they may cancel or confirm it now."
            )
        ),
    )
    def retrieve(self, request, pk=None):
        return self._detail(pk)

    @extend_schema(
        request={"multipart/form-data": s.PortalRequestCreateSerializer},
        parameters=[IDEMPOTENCY_KEY],
        responses={201: s.PortalRequestDetailSerializer, **ACTION_ERRORS},
        description=str(
            _(
                "File a request, with up to 5 photos (multipart/form-data; repeat `photos`). "
                "M09: a deadline you ask for must be in the future."
            )
        ),
    )
    def create(self, request):
        account = self.account
        data = _valid(s.PortalRequestCreateSerializer, request, customer=account.customer)
        household = data.get("household")
        item = data.get("item")
        ticket = tickets.ticket_create_by_customer(
            customer=account.customer,
            household=_household(account, household) if household else None,
            kind=data.get("kind") or None,
            idempotency_key=idempotency_key_from(request),
            item=item,
            description=data["description"],
            requested_deadline=data.get("requested_deadline"),
            photos=data["photos"],
        )
        return self._detail(ticket.pk, status.HTTP_201_CREATED)

    @extend_schema(
        request=s.PortalQuoteAnswerSerializer,
        parameters=[OpenApiParameter("quote_id", OpenApiTypes.INT, OpenApiParameter.PATH)],
        responses={200: s.PortalRequestDetailSerializer, **ACTION_ERRORS},
        description=str(
            _(
                "M10: accept or decline the fee shown in `pending_quote` (send its id in the "
                "path). A quote already answered, withdrawn or expired answers 409."
            )
        ),
    )
    @action(detail=True, methods=["post"], url_path=r"quotes/(?P<quote_id>\d+)/answer")
    def quote_answer(self, request, pk=None, quote_id=None):
        ticket = selectors.request_of(self.account, pk)  # 404 before 400
        data = _valid(s.PortalQuoteAnswerSerializer, request)
        quote = ticket.quotes.select_related("ticket").filter(pk=quote_id).first()
        if quote is None:
            raise NotFound(field="quote")
        with _about("quote"):
            tickets.quote_answer_by_customer(
                customer=self.account.customer, quote=quote, accepted=data["accepted"]
            )
        return self._detail(pk)

    @extend_schema(
        request=s.PortalProposalAnswerSerializer,
        parameters=[OpenApiParameter("proposal_id", OpenApiTypes.INT, OpenApiParameter.PATH)],
        responses={200: s.PortalRequestDetailSerializer, **ACTION_ERRORS},
        description=str(
            _(
                "M09: agree to or refuse the new deadline in `pending_proposal` (send its id in "
                "the path). Agreement counts only before the current deadline passes (409)."
            )
        ),
    )
    @action(detail=True, methods=["post"], url_path=r"proposals/(?P<proposal_id>\d+)/answer")
    def proposal_answer(self, request, pk=None, proposal_id=None):
        ticket = selectors.request_of(self.account, pk)
        data = _valid(s.PortalProposalAnswerSerializer, request)
        proposal = (
            ticket.extension_proposals.select_related("ticket").filter(pk=proposal_id).first()
        )
        if proposal is None:
            raise NotFound(field="proposal")
        with _about("proposal"):
            tickets.extension_answer_by_customer(
                customer=self.account.customer,
                proposal=proposal,
                agreed=data["agreed"],
                comment=data["comment"],
            )
        return self._detail(pk)

    @extend_schema(
        request=s.PortalConfirmSerializer,
        responses={200: s.PortalRequestDetailSerializer, **ACTION_ERRORS},
        description=str(
            _(
                "Confirm and rate the work once it is done (`can_confirm`): satisfied closes the "
                "request; not satisfied, with a comment, opens rework."
            )
        ),
    )
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        ticket = selectors.request_of(self.account, pk)
        data = _valid(s.PortalConfirmSerializer, request)
        tickets.ticket_customer_confirm(
            ticket=ticket,
            satisfied=data["satisfied"],
            comment=data["comment"],
            channel=Channel.PORTAL,
            expected_version=data.get("version"),
        )
        return self._detail(pk)

    @extend_schema(
        request=s.PortalReworkSerializer,
        responses={201: s.PortalRequestDetailSerializer, **ACTION_ERRORS},
        description=str(
            _(
                "M15: the problem came back after the request was closed (`can_rework`, within "
                "90 days of closing). Opens a rework order, done with priority within 24 hours; "
                "the answer is the rework order. 409 when the request is not closed, a rework of "
                "it is under way, or it was closed too long ago."
            )
        ),
    )
    @action(detail=True, methods=["post"])
    def rework(self, request, pk=None):
        ticket = selectors.request_of(self.account, pk)  # another customer's: 404
        data = _valid(s.PortalReworkSerializer, request)
        rework = aftercare_rework.rework_open_by_customer(
            customer=self.account.customer, original=ticket, complaint=data["complaint"]
        )
        return self._detail(rework.pk, status.HTTP_201_CREATED)

    @extend_schema(
        request=s.PortalCancelSerializer,
        responses={200: s.PortalRequestDetailSerializer, **ACTION_ERRORS},
        description=str(_("Cancel the request, until a technician is on the way (`can_cancel`).")),
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        ticket = selectors.request_of(self.account, pk)
        data = _valid(s.PortalCancelSerializer, request)
        tickets.ticket_cancel(
            actor=None, ticket=ticket, reason=data["reason"], expected_version=data.get("version")
        )
        return self._detail(pk)

    @extend_schema(
        parameters=[OpenApiParameter("photo_id", OpenApiTypes.INT, OpenApiParameter.PATH)],
        responses={
            (200, "image/*"): OpenApiResponse(
                response=OpenApiTypes.BINARY, description=str(_("The photo."))
            ),
            **READ_ERRORS,
        },
        description=str(_("A photo the customer filed with this request (see `photos`).")),
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"photos/(?P<photo_id>\d+)",
        url_name="photo",
    )
    def photo(self, request, pk=None, photo_id=None):
        ticket = selectors.request_of(self.account, pk)
        photo = ticket.photos.filter(pk=photo_id).first()
        if photo is None:
            raise NotFound(field="photo")
        return serve_file(photo.image.name)
