"""The hotline's REST API (M02): lines, the call log and the phone system's webhook, caller
recognition, the duty roster and its gaps. Thin: every write is a service call."""

import datetime as dt
import hmac

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.authentication import BaseAuthentication
from rest_framework.decorators import action
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from propdesk.catalog.models import ServiceItem
from propdesk.core.api import IsStaff, validated
from propdesk.core.errors import DomainError, NotFound
from propdesk.core.permissions import require
from propdesk.core.phones import normalize_phone
from propdesk.core.serializers import ErrorSerializer
from propdesk.org.models import Department, User

from . import selectors, services
from .roster import coverage_summary
from .serializers import (
    CallComplaintInputSerializer,
    CallComplaintSerializer,
    CallEventSerializer,
    CallFilterSerializer,
    CallLogSerializer,
    CallSerializer,
    CoverageSerializer,
    DutyShiftCreateSerializer,
    DutyShiftFilterSerializer,
    DutyShiftSerializer,
    GapsQuerySerializer,
    HotlineLineSerializer,
    HotlineLineSetSerializer,
    RecogniseQuerySerializer,
    RecogniseSerializer,
)

ERRORS = {400: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer, 409: ErrorSerializer}

# request.auth when the phone system authenticated with the shared secret.
PHONE_SYSTEM = "phone-system"


class PhoneSystemSecretAuthentication(BaseAuthentication):
    """The phone system may post call events with ``X-Propdesk-CTI-Secret`` instead of a token,
    when ``PROPDESK_CTI_SECRET`` is configured."""

    def authenticate(self, request):
        given = request.META.get("HTTP_X_PROPDESK_CTI_SECRET")
        if given is None:
            return None
        secret = getattr(settings, "PROPDESK_CTI_SECRET", "")
        if not secret or not hmac.compare_digest(given.encode(), secret.encode()):
            raise AuthenticationFailed(_("The phone system's secret is wrong."))
        return AnonymousUser(), PHONE_SYSTEM


class PhoneSystemSecretScheme(OpenApiAuthenticationExtension):
    target_class = "propdesk.hotline.api.PhoneSystemSecretAuthentication"
    name = "phoneSystemSecret"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "X-Propdesk-CTI-Secret"}


class IsStaffOrPhoneSystem(IsStaff):
    """Staff as everywhere; the phone system's secret opens the webhook and nothing else."""

    def has_permission(self, request, view):
        if request.auth is PHONE_SYSTEM:
            return getattr(view, "action", None) == "create"
        return super().has_permission(request, view)


def _office(request, office_id):
    """The office asked for, or the user's own; another office's is not found."""
    office_id = office_id or request.user.office_id
    if not office_id:
        raise DomainError(_("Choose an office."), code="required", field="office")
    return selectors.office_get(request.user, office_id)


# --- lines ------------------------------------------------------------------------------------


class LineViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = HotlineLineSerializer

    def get_queryset(self):
        return selectors.lines_for(self.request.user)

    @extend_schema(request=HotlineLineSetSerializer, responses={200: HotlineLineSerializer})
    def create(self, request):
        """Set the number of one of an office's three lines (creating the line if need be)."""
        data = validated(HotlineLineSetSerializer, request.data, request=request)
        line = services.line_set(
            actor=request.user,
            office=_office(request, data.get("office")),
            kind=data["kind"],
            number=data["number"],
        )
        return Response(HotlineLineSerializer(line).data)


# --- calls ------------------------------------------------------------------------------------


class CallViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = CallSerializer
    authentication_classes = [
        PhoneSystemSecretAuthentication,
        *api_settings.DEFAULT_AUTHENTICATION_CLASSES,
    ]
    permission_classes = [IsStaffOrPhoneSystem]

    def get_queryset(self):
        if self.action == "list":
            f = validated(CallFilterSerializer, self.request.query_params, request=self.request)
            return selectors.call_list(
                self.request.user,
                selectors.CallFilters(
                    office=f.get("office"),
                    line_kind=f.get("line_kind", ""),
                    state=f.get("state", ""),
                    outcome=f.get("outcome", ""),
                    date_from=f.get("date_from"),
                    date_to=f.get("date_to"),
                    handler=f.get("handler"),
                    number=f.get("number", ""),
                ),
            )
        return selectors.calls_for(self.request.user)

    def get_object(self):
        return selectors.call_get(self.request.user, self.kwargs["pk"])

    @extend_schema(parameters=[CallFilterSerializer])
    def list(self, request, *args, **kwargs):
        """The call log, newest first, filtered."""
        return super().list(request, *args, **kwargs)

    @extend_schema(
        request=CallEventSerializer,
        responses={201: CallSerializer, 200: CallSerializer},
    )
    def create(self, request):
        """The phone system's webhook: one event of a call. Idempotent on ``call_id``: the first
        event of a call answers 201, every later or repeated one 200 with the call as it is."""
        if request.auth is PHONE_SYSTEM:
            actor = None
        else:
            actor = request.user
            require(actor, "call.log")
        data = validated(CallEventSerializer, request.data, request=request)
        call, created = services.call_event(actor=actor, **data)
        call = selectors.Call.objects.select_related(*selectors.CALL_RELATED).get(pk=call.pk)
        return Response(
            CallSerializer(call, context={"request": request}).data,
            status=status.HTTP_201_CREATED if created else 200,
        )

    @extend_schema(request=CallLogSerializer, responses={200: CallSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def log(self, request, pk=None):
        """Log the call as an answered inquiry, or turn it into a request, in one step."""
        return self._log(request, call=self.get_object())

    @extend_schema(
        request=CallLogSerializer,
        responses={201: CallSerializer, **ERRORS},
        operation_id="v1_hotline_calls_log_new_create",
    )
    @action(detail=False, methods=["post"], url_path="log")
    def log_new(self, request):
        """Log a call the phone system did not report (the agent typed the caller's number):
        give its ``line``; the call is created and logged in one step."""
        return self._log(request, call=None, created=True)

    @extend_schema(
        request=CallComplaintInputSerializer,
        responses={201: CallComplaintSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def complaint(self, request, pk=None):
        """M17: record the call as a complaint, with the customer's account in their words, that
        you listened to the end, the understanding shown and the explanation given. The
        complaint is routed to the level that handles it (M18)."""
        return self._complaint(request, call=self.get_object())

    @extend_schema(
        request=CallComplaintInputSerializer,
        responses={201: CallComplaintSerializer, **ERRORS},
        operation_id="v1_hotline_calls_complaint_new_create",
    )
    @action(detail=False, methods=["post"], url_path="complaint")
    def complaint_new(self, request):
        """Record a complaint from a call the phone system did not report: give its ``line``;
        the call is created and recorded as a complaint in one step."""
        return self._complaint(request, call=None)

    def _complaint(self, request, *, call):
        d = validated(CallComplaintInputSerializer, request.data, request=request)
        department = None
        if d.get("about_department"):
            department = Department.objects.filter(pk=d["about_department"]).first()
            if department is None:
                raise DomainError(
                    _("Choose a department of the company."), field="about_department"
                )
        call = services.call_to_complaint(
            **self._intake(request, call, d),
            account=d["account"],
            listened=d["listened"],
            understanding=d["understanding"],
            explanation=d["explanation"],
            category=d["category"],
            severity=d["severity"],
            about_staff=d["about_staff"],
            about_department=department,
            about_text=d["about_text"],
            involves_compensation=d["involves_compensation"],
            compensation_claimed=d["compensation_claimed"],
        )
        # Read back as the service left it: a complaint naming the agent hides the call from them
        # from now on (recusal), but they may read what they have just recorded.
        call = selectors.Call.objects.select_related(*selectors.CALL_RELATED).get(pk=call.pk)
        return Response(CallComplaintSerializer(call).data, status=status.HTTP_201_CREATED)

    def _intake(self, request, call, d) -> dict:
        """Who logs which call from which line, for which customer: the services' common part."""
        user = request.user
        line = None
        if call is None:
            if not d.get("line"):
                raise DomainError(
                    _("Choose the line the call came in on."), code="required", field="line"
                )
            try:
                line = selectors.line_get(user, d["line"])
            except NotFound:
                raise NotFound(field="line") from None
        customer = selectors.customer_get(user, d["customer"]) if d.get("customer") else None
        household = selectors.household_get(user, d["household"]) if d.get("household") else None
        return {
            "actor": user,
            "call": call,
            "line": line,
            "caller_number": d.get("caller_number", ""),
            "customer": customer,
            "household": household,
        }

    def _log(self, request, *, call, created=False):
        d = validated(CallLogSerializer, request.data, request=request)
        common = self._intake(request, call, d)
        if d["action"] == "inquiry":
            call = services.call_log_inquiry(
                **common, summary=d.get("summary", ""), answer=d.get("answer", "")
            )
        else:
            item = None
            if d.get("item"):
                item = ServiceItem.objects.filter(pk=d["item"], is_active=True).first()
                if item is None:
                    raise DomainError(_("No such service item."), code="invalid", field="item")
            call = services.call_to_request(
                **common,
                kind=d.get("kind", ""),
                item=item,
                description=d.get("description", ""),
                requested_deadline=d.get("requested_deadline"),
            )
        return Response(
            CallSerializer(
                selectors.call_get(request.user, call.pk), context={"request": request}
            ).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


# --- recognition ----------------------------------------------------------------------------


class RecogniseView(APIView):
    @extend_schema(parameters=[RecogniseQuerySerializer], responses=RecogniseSerializer)
    def get(self, request):
        """The customers with this phone number, with their households, open requests and the
        paid and special services worth offering them (M24)."""
        q = validated(RecogniseQuerySerializer, request.query_params, request=request)
        e164 = normalize_phone(q["number"], field="number")
        customers = selectors.recognise(request.user, e164, office_id=q.get("office"))
        selectors.attach_opportunities(customers, now=timezone.now())
        return Response(
            RecogniseSerializer(
                {"number": e164, "customers": customers}, context={"request": request}
            ).data
        )


# --- the roster -------------------------------------------------------------------------------


class ShiftViewSet(mixins.ListModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):
    serializer_class = DutyShiftSerializer

    def get_queryset(self):
        if self.action == "list":
            f = validated(
                DutyShiftFilterSerializer, self.request.query_params, request=self.request
            )
            qs = selectors.shifts_for(self.request.user)
            if f.get("office"):
                qs = qs.filter(line__office_id=f["office"])
            if f.get("line"):
                qs = qs.filter(line_id=f["line"])
            if f.get("start"):
                qs = qs.filter(ends_at__gt=f["start"])
            if f.get("end"):
                qs = qs.filter(starts_at__lt=f["end"])
            return qs.order_by("starts_at", "pk")
        return selectors.shifts_for(self.request.user)

    def get_object(self):
        return selectors.shift_get(self.request.user, self.kwargs["pk"])

    @extend_schema(parameters=[DutyShiftFilterSerializer])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=DutyShiftCreateSerializer, responses={201: DutyShiftSerializer})
    def create(self, request):
        """Roster a staff member of the line's office on the line (M02)."""
        d = validated(DutyShiftCreateSerializer, request.data, request=request)
        try:
            line = selectors.line_get(request.user, d["line"])
        except NotFound:
            raise NotFound(field="line") from None
        staff = User.objects.filter(pk=d["staff"]).first()
        shift = services.shift_add(
            actor=request.user,
            line=line,
            staff=staff,
            starts_at=d["starts_at"],
            ends_at=d["ends_at"],
        )
        return Response(
            DutyShiftSerializer(selectors.shift_get(request.user, shift.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    def perform_destroy(self, instance):
        services.shift_remove(actor=self.request.user, shift=instance)


class GapsView(APIView):
    @extend_schema(parameters=[GapsQuerySerializer], responses=CoverageSerializer)
    def get(self, request):
        """Stretches of the next ``days`` days when nobody is rostered on a line (M02)."""
        q = validated(GapsQuerySerializer, request.query_params, request=request)
        office = _office(request, q.get("office"))
        now = timezone.now()
        coverage = coverage_summary(office, now, now + dt.timedelta(days=q["days"]))
        return Response(CoverageSerializer(coverage).data)
