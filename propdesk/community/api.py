"""The community activities' REST API (M07): staff endpoints under /api/v1/activities/, and the
customer's under /api/v1/portal/activities/. Thin: selectors read, services change, and the
API's exception handler turns a service's ``DomainError`` into the one JSON error shape."""

from django.utils import timezone
from django.utils.decorators import method_decorator
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser
from rest_framework.response import Response

from propdesk.core.api import IF_MATCH, expected_version, validated
from propdesk.core.errors import NotFound
from propdesk.core.serializers import ErrorSerializer
from propdesk.customers.selectors import customer_get
from propdesk.portal.api import CustomerView

from . import selectors, services
from . import serializers as s
from .models import Activity, Registration

ERROR = ErrorSerializer  # the API's one error shape
ACTION_ERRORS = {400: ERROR, 403: ERROR, 404: ERROR, 409: ERROR}
CUSTOMER_READ_ERRORS = {401: ERROR, 404: ERROR}
CUSTOMER_ACTION_ERRORS = {400: ERROR, **CUSTOMER_READ_ERRORS, 409: ERROR}
REG_PK = OpenApiParameter("reg_pk", OpenApiTypes.INT, OpenApiParameter.PATH)
WAITING = Registration.State.WAITING


# --- staff --------------------------------------------------------------------------------------


@method_decorator(name="list", decorator=extend_schema(parameters=[s.ActivityFilterSerializer]))
class ActivityViewSet(viewsets.GenericViewSet):
    """The office's community activities and their registrations."""

    serializer_class = s.ActivitySerializer
    queryset = Activity.objects.none()  # for the schema only; reads go through selectors

    def _activity(self, pk) -> Activity:
        return selectors.activity_get(self.request.user, pk)

    def _answer(self, pk, code=status.HTTP_200_OK) -> Response:
        activity = self._activity(pk)
        context = {"summary": selectors.summary(activity), "request": self.request}
        data = s.ActivitySerializer(activity, context=context).data
        # The version doubles as an ETag, so clients can send it back as If-Match.
        return Response(data, status=code, headers={"ETag": f'"{activity.version}"'})

    def _input(self, serializer_class, pk, *, partial: bool = False):
        """The activity (404 before 400: nothing said of another office's), the input cleaned,
        and the version the client acted on (``version`` in the body, else If-Match)."""
        activity = self._activity(pk)
        data = validated(serializer_class, self.request.data, request=self.request, partial=partial)
        version = expected_version(self.request, data)
        data.pop("version", None)
        return activity, data, version

    def _registration(self, pk, reg_pk) -> Registration:
        return selectors.registration_get(self._activity(pk), reg_pk)

    def _registration_answer(self, registration, code=status.HTTP_200_OK) -> Response:
        positions = {}
        if registration.state == WAITING:
            positions[registration.pk] = services.waiting_position(registration)
        data = s.RegistrationSerializer(registration, context={"positions": positions}).data
        return Response(data, status=code)

    @extend_schema(responses={200: s.ActivityListSerializer(many=True), 400: ERROR})
    def list(self, request):
        params = validated(s.ActivityFilterSerializer, request.query_params.dict(), request=request)
        activities = selectors.activities_for_user(
            request.user, selectors.ActivityFilters(**params)
        )
        page = self.paginate_queryset(activities)
        return self.get_paginated_response(s.ActivityListSerializer(page, many=True).data)

    @extend_schema(
        responses={200: s.ActivitySerializer, 404: ERROR},
        description="One activity, with its places, waiting list, attendance and feedback, its "
        "``version`` (also its ``ETag``) and the ``allowed_actions`` you may take now.",
    )
    def retrieve(self, request, pk=None):
        return self._answer(pk)

    @extend_schema(
        request=s.ActivityCreateSerializer,
        responses={201: s.ActivitySerializer, **ACTION_ERRORS},
        description="Write a draft. An open day names the facilities customers will visit.",
    )
    def create(self, request):
        data = validated(s.ActivityCreateSerializer, request.data, request=request)
        activity = services.activity_create(actor=request.user, **data)
        return self._answer(activity.pk, status.HTTP_201_CREATED)

    @extend_schema(
        request=s.ActivityUpdateSerializer,
        parameters=[IF_MATCH],
        responses={200: s.ActivitySerializer, **ACTION_ERRORS},
        description="Change a draft. Once published only the description, facilities and "
        "capacity may change (a larger capacity moves the waiting list up); any other field "
        "answers 409 ``activity_published`` naming it: cancel and publish a new one instead.",
    )
    def partial_update(self, request, pk=None):
        activity, data, version = self._input(s.ActivityUpdateSerializer, pk, partial=True)
        services.activity_update(
            actor=request.user, activity=activity, expected_version=version, **data
        )
        return self._answer(pk)

    @extend_schema(
        request=s.ActivityPublishSerializer,
        parameters=[IF_MATCH],
        responses={200: s.ActivitySerializer, **ACTION_ERRORS},
        description="Open registration and announce the activity as a community notice (its "
        "id is ``notice``); with ``notify_customers`` also as a message to every customer it is "
        "for, written by a background task.",
    )
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        activity, data, version = self._input(s.ActivityPublishSerializer, pk)
        services.activity_publish(
            actor=request.user, activity=activity, expected_version=version, **data
        )
        return self._answer(pk)

    @extend_schema(
        request=s.ActivityCancelSerializer,
        parameters=[IF_MATCH],
        responses={200: s.ActivitySerializer, **ACTION_ERRORS},
        description="Call the activity off: every registration ends, everyone registered or "
        "waiting is told the reason, and the announcement is corrected.",
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        activity, data, version = self._input(s.ActivityCancelSerializer, pk)
        services.activity_cancel(
            actor=request.user, activity=activity, expected_version=version, **data
        )
        return self._answer(pk)

    @extend_schema(
        request=s.ActivityVersionSerializer,
        parameters=[IF_MATCH],
        responses={200: s.ActivitySerializer, **ACTION_ERRORS},
        description="The activity has been held: confirmed people not checked in are recorded "
        "as absent, the waiting list ends, and those who came are asked for feedback.",
    )
    @action(detail=True, methods=["post"])
    def finish(self, request, pk=None):
        activity, _data, version = self._input(s.ActivityVersionSerializer, pk)
        services.activity_finish(actor=request.user, activity=activity, expected_version=version)
        return self._answer(pk)

    @extend_schema(
        methods=["GET"],
        parameters=[s.RegistrationFilterSerializer],
        responses={200: s.RegistrationSerializer(many=True), 400: ERROR, 404: ERROR},
        description="The registrations in queue order; ``position`` for those waiting.",
    )
    @extend_schema(
        methods=["POST"],
        request=s.RegistrationCreateSerializer,
        responses={201: s.RegistrationSerializer, **ACTION_ERRORS},
        description="Register a caller. When the places are taken the registration joins the "
        "waiting list (``state`` ``waiting``, with its ``position``). Registering the same "
        "customer twice answers 409 ``already_registered``.",
    )
    @action(detail=True, methods=["get", "post"])
    def registrations(self, request, pk=None):
        activity = self._activity(pk)
        if request.method == "POST":
            data = validated(s.RegistrationCreateSerializer, request.data, request=request)
            try:
                customer = customer_get(request.user, data.pop("customer"))
            except NotFound:
                raise NotFound(field="customer") from None  # another office's: not there at all
            registration = services.register(
                activity=activity, customer=customer, actor=request.user, **data
            )
            return self._registration_answer(registration, status.HTTP_201_CREATED)
        params = validated(
            s.RegistrationFilterSerializer, request.query_params.dict(), request=request
        )
        page = self.paginate_queryset(selectors.registrations_for(activity, **params))
        context = {"positions": selectors.waiting_positions(page)}
        return self.get_paginated_response(
            s.RegistrationSerializer(page, many=True, context=context).data
        )

    @extend_schema(
        request=None,
        parameters=[REG_PK],
        responses={200: s.RegistrationSerializer, **ACTION_ERRORS},
        description="Cancel a registration for the customer; its places go to the waiting list.",
    )
    @action(detail=True, methods=["post"], url_path=r"registrations/(?P<reg_pk>[0-9]+)/cancel")
    def registration_cancel(self, request, pk=None, reg_pk=None):
        registration = services.registration_cancel(
            registration=self._registration(pk, reg_pk), actor=request.user
        )
        return self._registration_answer(registration)

    @extend_schema(
        request=None,
        parameters=[REG_PK],
        responses={200: s.RegistrationSerializer, **ACTION_ERRORS},
        description="Check a confirmed registration in, on the day of the activity.",
    )
    @action(detail=True, methods=["post"], url_path=r"registrations/(?P<reg_pk>[0-9]+)/check-in")
    def registration_check_in(self, request, pk=None, reg_pk=None):
        registration = services.registration_check_in(
            actor=request.user, registration=self._registration(pk, reg_pk)
        )
        return self._registration_answer(registration)

    @extend_schema(
        request=s.FeedbackSerializer,
        parameters=[REG_PK],
        responses={200: s.RegistrationSerializer, **ACTION_ERRORS},
        description="Record the feedback a customer who came gave by phone, once.",
    )
    @action(detail=True, methods=["post"], url_path=r"registrations/(?P<reg_pk>[0-9]+)/feedback")
    def registration_feedback(self, request, pk=None, reg_pk=None):
        registration = self._registration(pk, reg_pk)
        data = validated(s.FeedbackSerializer, request.data, request=request)
        registration = services.registration_feedback(
            registration=registration, actor=request.user, **data
        )
        return self._registration_answer(registration)


# --- the customer's -----------------------------------------------------------------------------


@extend_schema(tags=["customer"])
class CustomerActivityViewSet(CustomerView, viewsets.GenericViewSet):
    """The activities for the signed-in customer's homes, and their own registrations."""

    serializer_class = s.CustomerActivitySerializer
    queryset = Activity.objects.none()  # for the schema only
    parser_classes = [JSONParser]

    @property
    def customer(self):
        return self.account.customer

    def _mine(self, registration, code=status.HTTP_200_OK) -> Response:
        context = {"positions": selectors.waiting_positions([registration])}
        data = s.CustomerRegistrationSerializer(registration, context=context).data
        return Response(data, status=code)

    def _registration(self, activity) -> Registration:
        registration = selectors.registration_of(self.customer, activity)
        if registration is None:
            raise NotFound(field="registration")
        return registration

    @extend_schema(
        responses={200: s.CustomerActivityListSerializer(many=True), 401: ERROR},
        description="The activities the customer can register for, soonest first, each with "
        "the places left and the customer's own registration.",
    )
    def list(self, request):
        customer = self.customer
        page = self.paginate_queryset(selectors.activities_for_customer(customer))
        # The customer's registrations for the page in one query: the live one, else the latest.
        mine: dict[int, Registration] = {}
        rows = selectors.registrations_of_customer(customer).filter(activity__in=page)
        for registration in rows:  # newest first
            held = mine.get(registration.activity_id)
            if held is None or (not held.is_live and registration.is_live):
                mine[registration.activity_id] = registration
        context = {
            "mine": mine,
            "positions": selectors.waiting_positions(mine.values()),
            "now": timezone.now(),
        }
        data = s.CustomerActivityListSerializer(page, many=True, context=context).data
        return self.get_paginated_response(data)

    @extend_schema(
        responses={200: s.CustomerActivitySerializer, **CUSTOMER_READ_ERRORS},
        description="One activity for the customer's homes, or one they registered for.",
    )
    def retrieve(self, request, pk=None):
        activity = selectors.activity_for_customer(self.customer, pk)
        registration = selectors.registration_of(self.customer, activity)
        context = {
            "mine": {activity.pk: registration} if registration else {},
            "positions": selectors.waiting_positions([registration]),
        }
        return Response(s.CustomerActivitySerializer(activity, context=context).data)

    @extend_schema(
        request=s.CustomerRegisterSerializer,
        responses={201: s.CustomerRegistrationSerializer, **CUSTOMER_ACTION_ERRORS},
        description="Register, for up to 5 people. When the places are taken the registration "
        "joins the waiting list (``state`` ``waiting``, with its ``position``) and moves up as "
        "places free. Registering twice answers 409 ``already_registered``.",
    )
    @action(detail=True, methods=["post"])
    def register(self, request, pk=None):
        activity = selectors.activity_for_customer(self.customer, pk)
        data = validated(s.CustomerRegisterSerializer, request.data, request=request)
        registration = services.register(activity=activity, customer=self.customer, **data)
        return self._mine(registration, status.HTTP_201_CREATED)

    @extend_schema(
        request=None,
        responses={200: s.CustomerRegistrationSerializer, **CUSTOMER_ACTION_ERRORS},
        description="Cancel the customer's registration, until the activity starts.",
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        activity = selectors.activity_for_customer(self.customer, pk)
        registration = services.registration_cancel(
            registration=self._registration(activity), customer=self.customer
        )
        return self._mine(registration)

    @extend_schema(
        request=s.FeedbackSerializer,
        responses={200: s.CustomerRegistrationSerializer, **CUSTOMER_ACTION_ERRORS},
        description="Rate the activity after coming to it, once.",
    )
    @action(detail=True, methods=["post"])
    def feedback(self, request, pk=None):
        activity = selectors.activity_for_customer(self.customer, pk)
        registration = self._registration(activity)
        data = validated(s.FeedbackSerializer, request.data, request=request)
        registration = services.registration_feedback(
            registration=registration, customer=self.customer, **data
        )
        return self._mine(registration)

    @extend_schema(
        responses={200: s.CustomerRegistrationSerializer(many=True), 401: ERROR},
        description="The customer's own registrations, newest first.",
    )
    @action(detail=False, methods=["get"])
    def mine(self, request):
        page = self.paginate_queryset(selectors.registrations_of_customer(self.customer))
        context = {"positions": selectors.waiting_positions(page)}
        data = s.CustomerRegistrationSerializer(page, many=True, context=context).data
        return self.get_paginated_response(data)
