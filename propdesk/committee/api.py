"""The owners' committees' REST API (M22): staff endpoints under /api/v1/committee/, and the
customer's under /api/v1/portal/committee/. Thin: selectors read, services change, and the API's
exception handler turns a service's ``DomainError`` into the one JSON error shape."""

from django.db.models import prefetch_related_objects
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action as route
from rest_framework.parsers import JSONParser
from rest_framework.response import Response

from propdesk.core.api import IF_MATCH, expected_version, validated
from propdesk.core.errors import DomainError, Forbidden, NotFound
from propdesk.core.scoping import get_scoped
from propdesk.core.serializers import ErrorSerializer
from propdesk.customers.models import Customer
from propdesk.org.models import Department, User
from propdesk.portal.api import CustomerView

from . import selectors, services
from . import serializers as s
from .models import Action, Committee, Item, Meeting

ERROR = ErrorSerializer
ACTION_ERRORS = {400: ERROR, 403: ERROR, 404: ERROR, 409: ERROR, 428: ERROR}
TAG = "committee"


def _version(request, data):
    version = expected_version(request, data)
    data.pop("version", None)
    return version


# --- staff ------------------------------------------------------------------------------------


@extend_schema(tags=[TAG])
class CommitteeViewSet(viewsets.GenericViewSet):
    """Each office's owners' committee, with its members and representatives."""

    serializer_class = s.CommitteeSerializer
    queryset = Committee.objects.none()

    def _answer(self, pk, code=status.HTTP_200_OK):
        committee = selectors.committee_get(self.request.user, pk)
        data = s.CommitteeSerializer(committee).data
        return Response(data, status=code, headers={"ETag": f'"{committee.version}"'})

    @extend_schema(responses={200: s.CommitteeListSerializer(many=True)})
    def list(self, request):
        page = self.paginate_queryset(selectors.committees_for_user(request.user))
        return self.get_paginated_response(s.CommitteeListSerializer(page, many=True).data)

    @extend_schema(responses={200: s.CommitteeSerializer, 404: ERROR})
    def retrieve(self, request, pk=None):
        return self._answer(pk)

    @extend_schema(
        request=s.SeatCreateSerializer,
        parameters=[IF_MATCH],
        responses={201: s.CommitteeSerializer, **ACTION_ERRORS},
        description="Seat a member (an owner: chair, vice-chair or member) or a customer "
        "representative for a term. One chair at a time; a customer once per kind of seat.",
    )
    @route(detail=True, methods=["post"])
    def seats(self, request, pk=None):
        committee = selectors.committee_get(request.user, pk)
        data = validated(s.SeatCreateSerializer, request.data, request=request)
        version = _version(request, data)
        customer = Customer.objects.filter(pk=data.pop("customer")).first()
        if customer is None:
            raise NotFound(field="customer")
        services.seat_add(
            actor=request.user,
            committee=committee,
            customer=customer,
            expected_version=version,
            **data,
        )
        return self._answer(pk, status.HTTP_201_CREATED)


@method_decorator(
    name="list", decorator=extend_schema(tags=[TAG], parameters=[s.MeetingFilterSerializer])
)
@extend_schema(tags=[TAG])
class MeetingViewSet(viewsets.GenericViewSet):
    """The committees' monthly meetings: planned, held (minutes, attendees, opinions) or
    cancelled."""

    serializer_class = s.MeetingSerializer
    queryset = Meeting.objects.none()

    def _answer(self, pk, code=status.HTTP_200_OK):
        meeting = selectors.meeting_get(self.request.user, pk)
        prefetch_related_objects([meeting], "items__action")
        data = s.MeetingSerializer(meeting, context={"request": self.request}).data
        return Response(data, status=code, headers={"ETag": f'"{meeting.version}"'})

    @extend_schema(responses={200: s.MeetingListSerializer(many=True), 400: ERROR})
    def list(self, request):
        params = validated(s.MeetingFilterSerializer, request.query_params.dict(), request=request)
        meetings = selectors.meetings_for_user(request.user, selectors.MeetingFilters(**params))
        page = self.paginate_queryset(meetings)
        return self.get_paginated_response(s.MeetingListSerializer(page, many=True).data)

    @extend_schema(responses={200: s.MeetingSerializer, 404: ERROR})
    def retrieve(self, request, pk=None):
        return self._answer(pk)

    @extend_schema(
        request=s.MeetingCreateSerializer,
        responses={201: s.MeetingSerializer, **ACTION_ERRORS},
        description="Plan a meeting; the committee's members and representatives are invited.",
    )
    def create(self, request):
        data = validated(s.MeetingCreateSerializer, request.data, request=request)
        committee = selectors.committee_get(request.user, data.pop("committee"))
        meeting = services.meeting_plan(actor=request.user, committee=committee, **data)
        return self._answer(meeting.pk, status.HTTP_201_CREATED)

    @extend_schema(
        request=s.MeetingHoldSerializer,
        parameters=[IF_MATCH],
        responses={200: s.MeetingSerializer, **ACTION_ERRORS},
        description="Record the meeting as held: when (not in the future: 400 "
        "``meeting_in_future`` on ``held_at``), who came (seat ids; staff ids, else you), the "
        "minutes and the opinions raised. Each member or representative present has the meeting "
        "on their history.",
    )
    @route(detail=True, methods=["post"])
    def hold(self, request, pk=None):
        meeting = selectors.meeting_get(request.user, pk)
        data = validated(s.MeetingHoldSerializer, request.data, request=request)
        version = _version(request, data)
        staff = data.pop("staff", None)
        services.meeting_hold(
            actor=request.user,
            meeting=meeting,
            staff=staff or None,
            seats=data.pop("seats"),
            opinions=data.pop("opinions", ()),
            expected_version=version,
            **data,
        )
        return self._answer(pk)

    @extend_schema(
        request=s.ReasonSerializer,
        parameters=[IF_MATCH],
        responses={200: s.MeetingSerializer, **ACTION_ERRORS},
    )
    @route(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        meeting = selectors.meeting_get(request.user, pk)
        data = validated(s.ReasonSerializer, request.data, request=request)
        version = _version(request, data)
        services.meeting_cancel(
            actor=request.user, meeting=meeting, reason=data["reason"], expected_version=version
        )
        return self._answer(pk)

    @extend_schema(
        request=s.ItemCreateSerializer,
        responses={201: s.MeetingSerializer, **ACTION_ERRORS},
        description="Record an opinion raised at a held meeting.",
    )
    @route(detail=True, methods=["post"])
    def items(self, request, pk=None):
        meeting = selectors.meeting_get(request.user, pk)
        data = validated(s.ItemCreateSerializer, request.data, request=request)
        services.item_add(actor=request.user, meeting=meeting, text=data["text"])
        return self._answer(pk, status.HTTP_201_CREATED)


def _item(user, pk) -> Item:
    return get_scoped(Item.objects.select_related("meeting"), user, pk=pk)


@extend_schema(tags=[TAG])
class ItemViewSet(viewsets.GenericViewSet):
    """An opinion's outcome: an improvement action, or an answer with its reason."""

    serializer_class = s.ItemSerializer
    queryset = Item.objects.none()

    @extend_schema(
        request=s.ItemActSerializer,
        responses={201: s.ActionSerializer, **ACTION_ERRORS},
        description="Turn the opinion into an improvement action. ``owner``, ``department`` and "
        "``due_on`` are required (400 naming the missing one).",
    )
    @route(detail=True, methods=["post"])
    def act(self, request, pk=None):
        item = _item(request.user, pk)
        data = validated(s.ItemActSerializer, request.data, request=request)
        owner = department = None
        if data.get("owner"):
            owner = User.objects.filter(pk=data["owner"]).first()
            if owner is None:
                raise DomainError(_("No such member of staff."), code="invalid", field="owner")
        if data.get("department"):
            department = Department.objects.filter(pk=data["department"]).first()
            if department is None:
                raise DomainError(_("No such department."), code="invalid", field="department")
        action = services.item_act(
            actor=request.user,
            item=item,
            title=data["title"],
            owner=owner,
            department=department,
            due_on=data.get("due_on"),
        )
        action = selectors.action_get(request.user, action.pk)
        body = s.ActionSerializer(action, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=s.ItemAnswerSerializer,
        responses={200: s.ItemSerializer, **ACTION_ERRORS},
        description="Answer the opinion with a reason (400 on ``answer`` when empty).",
    )
    @route(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        item = _item(request.user, pk)
        data = validated(s.ItemAnswerSerializer, request.data, request=request)
        item = services.item_answer(actor=request.user, item=item, answer=data["answer"])
        return Response(s.ItemSerializer(item).data)


@method_decorator(
    name="list", decorator=extend_schema(tags=[TAG], parameters=[s.ActionFilterSerializer])
)
@extend_schema(tags=[TAG])
class ActionViewSet(viewsets.GenericViewSet):
    """Improvement actions: progress, done, verified (or sent back)."""

    serializer_class = s.ActionDetailSerializer
    queryset = Action.objects.none()

    def _answer(self, pk):
        action = selectors.action_get(self.request.user, pk)
        data = s.ActionDetailSerializer(action, context={"request": self.request}).data
        return Response(data, headers={"ETag": f'"{action.version}"'})

    @extend_schema(responses={200: s.ActionSerializer(many=True), 400: ERROR})
    def list(self, request):
        params = validated(s.ActionFilterSerializer, request.query_params.dict(), request=request)
        actions = selectors.actions_for_user(request.user, selectors.ActionFilters(**params))
        page = self.paginate_queryset(actions)
        body = s.ActionSerializer(page, many=True, context={"request": request}).data
        return self.get_paginated_response(body)

    @extend_schema(responses={200: s.ActionDetailSerializer, 404: ERROR})
    def retrieve(self, request, pk=None):
        return self._answer(pk)

    def _step(self, request, pk, service, **extra):
        action = selectors.action_get(request.user, pk)
        data = validated(s.ActionStepSerializer, request.data, request=request)
        version = _version(request, data)
        service(
            actor=request.user,
            action=action,
            text=data.get("text", ""),
            expected_version=version,
            **({"progress": data.get("progress")} if extra.get("progress") else {}),
        )
        return self._answer(pk)

    @extend_schema(
        request=s.ActionStepSerializer,
        parameters=[IF_MATCH],
        responses={200: s.ActionDetailSerializer, **ACTION_ERRORS},
        description="Report progress (the owner or the director); the committee is told.",
    )
    @route(detail=True, methods=["post"])
    def progress(self, request, pk=None):
        return self._step(request, pk, services.action_progress, progress=True)

    @extend_schema(
        request=s.ActionStepSerializer,
        parameters=[IF_MATCH],
        responses={200: s.ActionDetailSerializer, **ACTION_ERRORS},
    )
    @route(detail=True, methods=["post"])
    def done(self, request, pk=None):
        return self._step(request, pk, services.action_done)

    @extend_schema(
        request=s.ActionStepSerializer,
        parameters=[IF_MATCH],
        responses={200: s.ActionDetailSerializer, **ACTION_ERRORS},
    )
    @route(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        return self._step(request, pk, services.action_verify)

    @extend_schema(
        request=s.ActionStepSerializer,
        parameters=[IF_MATCH],
        responses={200: s.ActionDetailSerializer, **ACTION_ERRORS},
        description="Send a done action back to its owner with what is still missing.",
    )
    @route(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        return self._step(request, pk, services.action_reopen)


# --- the customer's ---------------------------------------------------------------------------

NOT_A_MEMBER = _("Only members of the owners' committee and customer representatives see this.")


class _Member(CustomerView):
    parser_classes = [JSONParser]

    @property
    def customer(self):
        customer = self.account.customer
        if not selectors.seats_of_customer(customer).exists():
            raise Forbidden(NOT_A_MEMBER, code="not_a_member")
        return customer


@extend_schema(tags=["portal"])
class CustomerMeetingViewSet(_Member, viewsets.GenericViewSet):
    """The meetings of the committees the customer sits on (403 ``not_a_member`` otherwise)."""

    serializer_class = s.CustomerMeetingSerializer
    queryset = Meeting.objects.none()

    @extend_schema(responses={200: s.CustomerMeetingSerializer(many=True), 401: ERROR, 403: ERROR})
    def list(self, request):
        meetings = selectors.customer_meetings(self.customer).prefetch_related("items__action")
        page = self.paginate_queryset(meetings)
        return self.get_paginated_response(s.CustomerMeetingSerializer(page, many=True).data)

    @extend_schema(responses={200: s.CustomerMeetingSerializer, 401: ERROR, 403: ERROR, 404: ERROR})
    def retrieve(self, request, pk=None):
        meeting = selectors.customer_meeting(self.customer, pk)
        prefetch_related_objects([meeting], "items__action")
        return Response(s.CustomerMeetingSerializer(meeting).data)


@extend_schema(tags=["portal"])
class CustomerActionViewSet(_Member, viewsets.GenericViewSet):
    """The improvement actions of the committees the customer sits on, with their progress."""

    serializer_class = s.CustomerActionSerializer
    queryset = Action.objects.none()

    @extend_schema(responses={200: s.CustomerActionSerializer(many=True), 401: ERROR, 403: ERROR})
    def list(self, request):
        actions = selectors.customer_actions(self.customer).prefetch_related("updates")
        page = self.paginate_queryset(actions)
        return self.get_paginated_response(s.CustomerActionSerializer(page, many=True).data)

    @extend_schema(responses={200: s.CustomerActionSerializer, 401: ERROR, 403: ERROR, 404: ERROR})
    def retrieve(self, request, pk=None):
        action = selectors.customer_action(self.customer, pk)
        return Response(s.CustomerActionSerializer(action).data)
