"""The customer API's requests (/api/v1/portal/requests/ and /api/v1/portal/items/): a signed-in
customer lists, files and reads their own requests and takes their own steps in them. Signing in
and the customer's base view are ``portal.api``'s."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from propdesk.catalog.selectors import items_for_office
from propdesk.core.api import IDEMPOTENCY_KEY, idempotent_create, validated
from propdesk.core.errors import NotFound
from propdesk.core.media import serve_file
from propdesk.portal.api import (
    ACTION_ERRORS,
    ERROR,
    READ_ERRORS,
    SIGNED_IN,
    TAG,
    CustomerView,
    own_household,
    refusal_about,
)

from . import portal_serializers as s
from . import selectors
from . import services as tickets
from .models import Channel, Ticket
from .services.intake import as_received, received_photos


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
class RequestViewSet(CustomerView, viewsets.GenericViewSet):
    """The customer's own requests: list, file, read, and the customer's steps in them."""

    serializer_class = s.PortalRequestDetailSerializer
    queryset = Ticket.objects.none()  # for the schema only: every read is the customer's own
    lookup_value_regex = r"\d+"

    def _detail(self, pk, status_code=status.HTTP_200_OK) -> Response:
        ticket = selectors.request_of(self.account.customer, pk)
        now = timezone.now()
        context = {
            "request": self.request,
            "now": now,
            "timeline": selectors.customer_timeline(ticket),
            "pending_quote": selectors.pending_quote(ticket),
            "pending_proposal": selectors.pending_proposal(ticket, now),
            "photos": list(ticket.photos.values_list("pk", flat=True)),
            "can_rework": tickets.customer_may_rework(ticket, now),
        }
        data = s.PortalRequestDetailSerializer(ticket, context=context).data
        return Response(data, status=status_code)

    def _received(self, ticket, status_code) -> Response:
        """A request just filed here, answered from what was written: its timeline is the one
        event it has, and no fee, new deadline or rework can wait on it yet."""
        context = {
            "request": self.request,
            "now": timezone.now(),
            "timeline": selectors.customer_timeline(ticket, ticket.events.all()),
            "pending_quote": None,
            "pending_proposal": None,
            "photos": received_photos(ticket),
            "can_rework": False,
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
        filters = validated(s.PortalRequestFilterSerializer, data, request=request)
        household = filters.get("household")
        rows = selectors.own_requests(
            self.account.customer,
            household=own_household(self.account, household) if household else None,
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
                "A deadline you ask for must be in the future."
            )
        ),
    )
    def create(self, request):
        account = self.account
        data = validated(
            s.PortalRequestCreateSerializer,
            request.data,
            request=request,
            customer=account.customer,
        )
        household = data.get("household")
        created = {}

        def create():
            ticket = tickets.ticket_create_by_customer(
                customer=account.customer,
                household=own_household(account, household) if household else None,
                kind=data.get("kind") or None,
                item=data.get("item"),
                description=data["description"],
                requested_deadline=data.get("requested_deadline"),
                photos=data["photos"],
            )
            created[ticket.pk] = ticket
            return ticket

        def answer(pk, status_code):
            # The request just filed is answered from what was written; a replay's, read.
            ticket = as_received(created.get(pk))
            if ticket is None:
                return self._detail(pk, status_code)
            return self._received(ticket, status_code)

        return idempotent_create(
            request,
            owner=f"customer:{account.customer_id}",
            data=data,
            create=create,
            answer=answer,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        request=s.PortalQuoteAnswerSerializer,
        parameters=[OpenApiParameter("quote_id", OpenApiTypes.INT, OpenApiParameter.PATH)],
        responses={200: s.PortalRequestDetailSerializer, **ACTION_ERRORS},
        description=str(
            _(
                "Accept or decline the fee shown in `pending_quote` (send its id in the "
                "path). A quote already answered, withdrawn or expired answers 409."
            )
        ),
    )
    @action(detail=True, methods=["post"], url_path=r"quotes/(?P<quote_id>\d+)/answer")
    def quote_answer(self, request, pk=None, quote_id=None):
        ticket = selectors.request_of(self.account.customer, pk)  # 404 before 400
        data = validated(s.PortalQuoteAnswerSerializer, request.data, request=request)
        quote = ticket.quotes.select_related("ticket").filter(pk=quote_id).first()
        if quote is None:
            raise NotFound(field="quote")
        with refusal_about("quote"):
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
                "Agree to or refuse the new deadline in `pending_proposal` (send its id in "
                "the path). Agreement counts only before the current deadline passes (409)."
            )
        ),
    )
    @action(detail=True, methods=["post"], url_path=r"proposals/(?P<proposal_id>\d+)/answer")
    def proposal_answer(self, request, pk=None, proposal_id=None):
        ticket = selectors.request_of(self.account.customer, pk)
        data = validated(s.PortalProposalAnswerSerializer, request.data, request=request)
        proposal = (
            ticket.extension_proposals.select_related("ticket").filter(pk=proposal_id).first()
        )
        if proposal is None:
            raise NotFound(field="proposal")
        with refusal_about("proposal"):
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
                "Confirm and rate the work once it is done (`can_confirm`) in `stars`, 1 to 5, "
                "with `reasons`: 4 or 5 stars closes the request; 1 to 3, with a reason or a "
                "comment, opens rework. `stars` out of 1 to 5 answers 400 naming `stars`."
            )
        ),
    )
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        ticket = selectors.request_of(self.account.customer, pk)
        data = validated(s.PortalConfirmSerializer, request.data, request=request)
        tickets.ticket_customer_confirm(
            ticket=ticket,
            stars=data.get("stars"),
            reasons=data["reasons"],
            satisfied=data.get("satisfied"),
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
                "The problem came back after the request was closed (`can_rework`, within "
                "90 days of closing). Opens a rework order, done with priority within 24 hours; "
                "the answer is the rework order. 409 when the request is not closed, a rework of "
                "it is under way, or it was closed too long ago."
            )
        ),
    )
    @action(detail=True, methods=["post"])
    def rework(self, request, pk=None):
        ticket = selectors.request_of(self.account.customer, pk)  # another customer's: 404
        data = validated(s.PortalReworkSerializer, request.data, request=request)
        rework = tickets.rework_open_by_customer(
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
        ticket = selectors.request_of(self.account.customer, pk)
        data = validated(s.PortalCancelSerializer, request.data, request=request)
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
        ticket = selectors.request_of(self.account.customer, pk)
        photo = ticket.photos.filter(pk=photo_id).first()
        if photo is None:
            raise NotFound(field="photo")
        return serve_file(photo.image.name)
