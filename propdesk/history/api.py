"""REST API for the customer's and household's history and the contacts log.

Thin: selectors read (office-scoped: another office's record is a 404), services write, and a
DomainError becomes the shared JSON error through the global exception handler. The history is
served under the customer's and the household's own paths (/customers/{id}/history/,
/households/{id}/history/), beside the roster's endpoints in ``propdesk.customers.api``.
"""

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from propdesk.core.api import validated
from propdesk.core.errors import NotFound
from propdesk.customers import selectors as customer_selectors
from propdesk.customers.models import Customer, Household
from propdesk.tickets import selectors as ticket_selectors
from propdesk.tickets.models import Channel, Contact
from propdesk.tickets.services import contact_record

from . import selectors
from .serializers import (
    ContactRecordCreateSerializer,
    ContactRecordFilterSerializer,
    ContactRecordSerializer,
    CustomerHistorySerializer,
)

ERRORS = {
    400: OpenApiResponse(description="Invalid input: code, detail and the field at fault."),
    404: OpenApiResponse(description="No such record, or another office's."),
}
CONTACT_FILTERS = [
    OpenApiParameter("channel", str, enum=Channel.values),
    OpenApiParameter("direction", str, enum=Contact.Direction.values),
    OpenApiParameter("stage", str, enum=Contact.Stage.values),
]


def _ref(getter, user, pk, field: str):
    """A record named in the request body: another office's is "not found", naming the field."""
    try:
        return getter(user, pk)
    except NotFound:
        raise NotFound(field=field) from None


def _history_response(request, history):
    contacts = list(history.contacts[: selectors.HISTORY_LIMIT + 1])
    history.more["contacts"] = len(contacts) > selectors.HISTORY_LIMIT
    history.contacts = contacts[: selectors.HISTORY_LIMIT]
    return Response(CustomerHistorySerializer(history, context={"request": request}).data)


def _contact_filters(request) -> selectors.ContactFilters:
    """Channel, direction and stage from the query string; an unknown value is a 400."""
    p = validated(ContactRecordFilterSerializer, request.query_params, request=request)
    return selectors.ContactFilters(
        channel=p.get("channel", ""), direction=p.get("direction", ""), stage=p.get("stage", "")
    )


# The history actions are registered under the "customers" and "households" prefixes with the
# basenames "customer" and "household" (api_urls.py), so they keep their paths, URL names
# (customer-history, household-history), operation ids and tags. No class docstrings: the
# schema would take them as the operations' descriptions.


class CustomerHistoryViewSet(viewsets.GenericViewSet):
    queryset = Customer.objects.none()  # for the schema; requests read through the selectors
    serializer_class = CustomerHistorySerializer
    lookup_value_regex = r"\d+"

    @extend_schema(parameters=CONTACT_FILTERS, responses={200: CustomerHistorySerializer, **ERRORS})
    @action(detail=True, methods=["get"])
    def history(self, request, pk=None):
        customer = customer_selectors.customer_get(request.user, pk)
        history = selectors.customer_history(
            customer, filters=_contact_filters(request), user=request.user
        )
        return _history_response(request, history)


class HouseholdHistoryViewSet(viewsets.GenericViewSet):
    queryset = Household.objects.none()
    serializer_class = CustomerHistorySerializer
    lookup_value_regex = r"\d+"

    @extend_schema(parameters=CONTACT_FILTERS, responses={200: CustomerHistorySerializer, **ERRORS})
    @action(detail=True, methods=["get"])
    def history(self, request, pk=None):
        household = customer_selectors.household_get(request.user, pk)
        history = selectors.household_history(
            household, filters=_contact_filters(request), user=request.user
        )
        return _history_response(request, history)


class ContactViewSet(viewsets.GenericViewSet):
    """The contacts log (M01, M04): every interaction, filterable by stage and channel."""

    queryset = Contact.objects.none()
    serializer_class = ContactRecordSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("customer", int),
            OpenApiParameter("household", int),
            OpenApiParameter("ticket", int),
            *CONTACT_FILTERS,
        ],
        responses=ContactRecordSerializer(many=True),
    )
    def list(self, request):
        p = validated(ContactRecordFilterSerializer, request.query_params, request=request)
        qs = selectors.contact_list(
            request.user,
            customer=p.get("customer"),
            household=p.get("household"),
            ticket=p.get("ticket"),
            filters=_contact_filters(request),
        )
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(ContactRecordSerializer(page, many=True).data)

    @extend_schema(
        request=ContactRecordCreateSerializer, responses={201: ContactRecordSerializer, **ERRORS}
    )
    def create(self, request):
        data = validated(ContactRecordCreateSerializer, request.data, request=request)
        user = request.user
        customer = _ref(customer_selectors.customer_get, user, data["customer"], "customer")
        household = ticket = None
        if "household" in data:
            household = _ref(customer_selectors.household_get, user, data["household"], "household")
        if "ticket" in data:
            ticket = _ref(ticket_selectors.ticket_get, user, data["ticket"], "ticket")
        contact = contact_record(
            actor=user,
            customer=customer,
            household=household,
            ticket=ticket,
            summary=data["summary"],
            channel=data["channel"],
            direction=data["direction"],
            stage=data.get("stage"),
            at=data.get("at"),
        )
        return Response(ContactRecordSerializer(contact).data, status=status.HTTP_201_CREATED)
