"""REST API for requests: thin views — selector, serializer, one service, the updated request.

Reads go through ``selectors`` (another office's request is not found: 404); every write is one
call to a service, whose ``DomainError`` the global handler turns into 400/403/404/409 JSON. An
action's call is its function in ``commands``, the same one the console runs.
Actions accept the version the client last read, in the body (``version``) or as ``If-Match``;
a change made against an older version is refused with 409.
"""

import json

from django.db.models import Count, Q, prefetch_related_objects
from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, permissions, renderers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from propdesk.core.api import (
    IDEMPOTENCY_KEY,
    IF_MATCH,
    expected_version,
    idempotent_create,
    validated,
)
from propdesk.core.errors import NotFound
from propdesk.core.pagination import CappedPageNumberPagination
from propdesk.core.permissions import require
from propdesk.core.serializers import ErrorSerializer
from propdesk.org.selectors import technicians_for

from . import commands, exports, selectors, services
from . import serializers as s
from .models import (
    WITH_TECHNICIAN_STATUSES,
    Quote,
    Ticket,
)
from .revenue import RevenueFilters, month_range, revenue_report, revenue_row
from .serializers.revenue import RevenueRowSerializer
from .services.intake import as_received

ERRORS = {400: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer}
ACTION_ERRORS = {**ERRORS, 409: ErrorSerializer}


class TicketViewSet(viewsets.GenericViewSet):
    """Requests (工单): list, create, read, and one endpoint per business action."""

    serializer_class = s.TicketDetailSerializer
    queryset = Ticket.objects.none()  # for the schema only: every read goes through selectors
    lookup_value_regex = r"\d+"

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "now": timezone.now()}

    def _ticket(self, pk) -> Ticket:
        return selectors.ticket_get(self.request.user, pk)

    def _detail(self, pk, status_code=status.HTTP_200_OK) -> Response:
        return self._answer(selectors.ticket_in_full(self.request.user, pk), status_code)

    def _answer(self, ticket, status_code=status.HTTP_200_OK) -> Response:
        data = s.TicketDetailSerializer(ticket, context=self.get_serializer_context()).data
        # The version doubles as an ETag, so clients can send it back as If-Match.
        return Response(data, status=status_code, headers={"ETag": f'"{ticket.version}"'})

    def _input(self, serializer_class, pk):
        ticket = self._ticket(pk)  # 404 before 400: say nothing about another office's request
        data = validated(serializer_class, self.request.data, request=self.request)
        return ticket, data, expected_version(self.request, data)

    def _run(self, command, serializer_class, pk, **extra) -> Response:
        """The action's one command on the validated data (plus what the URL says), then the
        updated request."""
        ticket, data, version = self._input(serializer_class, pk)
        command(self.request.user, ticket, {**data, **extra}, expected_version=version)
        return self._detail(pk)

    # --- reads -----------------------------------------------------------------------------

    @extend_schema(
        parameters=[s.TicketFilterSerializer],
        responses={200: s.TicketListSerializer(many=True), 400: ErrorSerializer},
    )
    def list(self, request):
        params = request.query_params
        data = {key: params.get(key) for key in params if key != "status"}
        if "status" in params:
            data["status"] = [
                value for raw in params.getlist("status") for value in raw.split(",") if value
            ]
        filters = selectors.TicketFilters(
            **validated(s.TicketFilterSerializer, data, request=request)
        )
        now = timezone.now()
        page = self.paginate_queryset(selectors.ticket_list(request.user, filters, now=now))
        rows = s.TicketListSerializer(page, many=True, context={"request": request, "now": now})
        return self.get_paginated_response(rows.data)

    @extend_schema(responses={200: s.TicketDetailSerializer, 404: ErrorSerializer})
    def retrieve(self, request, pk=None):
        return self._detail(pk)

    @extend_schema(responses={200: s.TicketEventSerializer(many=True), 404: ErrorSerializer})
    @action(detail=True, methods=["get"])
    def timeline(self, request, pk=None):
        events = selectors.ticket_timeline(self._ticket(pk))
        page = self.paginate_queryset(events)
        return self.get_paginated_response(s.TicketEventSerializer(page, many=True).data)

    @extend_schema(
        methods=["GET"],
        responses={200: s.TicketContactSerializer(many=True), 404: ErrorSerializer},
    )
    @extend_schema(
        methods=["POST"],
        request=s.TicketContactCreateSerializer,
        responses={201: s.TicketContactSerializer, **ERRORS},
        description=str(_("Record a contact with the customer about this request (M01).")),
    )
    @action(detail=True, methods=["get", "post"])
    def contacts(self, request, pk=None):
        ticket = self._ticket(pk)
        if request.method == "POST":
            data = validated(s.TicketContactCreateSerializer, request.data, request=request)
            contact = commands.record_contact(request.user, ticket, data, expected_version=None)
            return Response(s.TicketContactSerializer(contact).data, status=status.HTTP_201_CREATED)
        contacts = ticket.contacts.select_related("staff").order_by("-at", "-pk")
        page = self.paginate_queryset(contacts)
        return self.get_paginated_response(s.TicketContactSerializer(page, many=True).data)

    # --- intake ----------------------------------------------------------------------------

    @extend_schema(
        request=s.TicketCreateSerializer,
        parameters=[IDEMPOTENCY_KEY],
        responses={201: s.TicketDetailSerializer, **ERRORS},
    )
    def create(self, request):
        data = validated(s.TicketCreateSerializer, request.data, request=request)
        created = {}

        def create():
            ticket = services.ticket_create(actor=request.user, **data)
            created[ticket.pk] = ticket
            return ticket

        def answer(pk, status_code):
            # The request just received is answered from what was written; a replay's, read.
            ticket = as_received(created.get(pk))
            return (
                self._detail(pk, status_code)
                if ticket is None
                else self._answer(ticket, status_code)
            )

        return idempotent_create(
            request,
            owner=f"staff:{request.user.pk}",
            data=data,
            create=create,
            answer=answer,
            status=status.HTTP_201_CREATED,
        )

    # --- actions ---------------------------------------------------------------------------

    @extend_schema(
        request=s.TicketConfirmSerializer,
        parameters=[IF_MATCH],
        responses={200: s.TicketDetailSerializer, **ACTION_ERRORS},
        description=str(_("M08: the content and requirements confirmed with the customer.")),
    )
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        return self._run(commands.confirm, s.TicketConfirmSerializer, pk)

    @extend_schema(
        request=s.TicketAnswerSerializer,
        parameters=[IF_MATCH],
        responses={200: s.TicketDetailSerializer, **ACTION_ERRORS},
        description=str(_("M08: an inquiry answered in detail; the answer is recorded.")),
    )
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        return self._run(commands.answer, s.TicketAnswerSerializer, pk)

    @extend_schema(
        request=s.TicketDeclineSerializer,
        parameters=[IF_MATCH],
        responses={200: s.TicketDetailSerializer, **ACTION_ERRORS},
        description=str(_("M08: outside the service scope, with the explanation given.")),
    )
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        return self._run(commands.decline, s.TicketDeclineSerializer, pk)

    @extend_schema(
        request=s.QuoteCreateSerializer,
        parameters=[IF_MATCH],
        responses={201: s.QuoteCreatedSerializer, **ACTION_ERRORS},
        description=str(
            _(
                "M10: show the fee standard before the work. The answer carries the customer's "
                "one-time link; it is not stored and cannot be shown again."
            )
        ),
    )
    @action(detail=True, methods=["post"])
    def quote(self, request, pk=None):
        ticket, data, version = self._input(s.QuoteCreateSerializer, pk)
        quote, token = commands.quote(request.user, ticket, data, expected_version=version)
        prefetch_related_objects([quote], "lines")
        detail = self._detail(pk)
        context = self.get_serializer_context()
        body = {
            "quote": s.QuoteSerializer(quote, context=context).data,
            "accept_url": selectors.quote_url(request, token),
            "ticket": detail.data,
        }
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=s.QuoteAnswerSerializer,
        parameters=[
            IF_MATCH,
            OpenApiParameter("quote_id", OpenApiTypes.INT, OpenApiParameter.PATH),
        ],
        responses={200: s.TicketDetailSerializer, **ACTION_ERRORS},
        description=str(_("M10: record the customer's answer given by phone or in person.")),
    )
    @action(detail=True, methods=["post"], url_path=r"quotes/(?P<quote_id>\d+)/answer")
    def quote_answer(self, request, pk=None, quote_id=None):
        ticket, data, version = self._input(s.QuoteAnswerSerializer, pk)
        quote = ticket.quotes.select_related("ticket").filter(pk=quote_id).first()
        if quote is None:
            raise NotFound(field="quote")
        commands.quote_answer(
            request.user, ticket, {**data, "quote": quote}, expected_version=version
        )
        return self._detail(pk)

    @extend_schema(
        request=s.TicketDispatchSerializer,
        parameters=[IF_MATCH],
        responses={200: s.TicketDetailSerializer, **ACTION_ERRORS},
        description=str(_("Send the work order to a technician (M10: fee accepted first).")),
    )
    # Not named "dispatch": that is the view's own entry point.
    @action(detail=True, methods=["post"], url_path="dispatch", url_name="dispatch")
    def dispatch_ticket(self, request, pk=None):
        return self._run(commands.dispatch, s.TicketDispatchSerializer, pk)

    @extend_schema(
        request=s.TicketTransferSerializer,
        parameters=[IF_MATCH],
        responses={200: s.TicketDetailSerializer, **ACTION_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def transfer(self, request, pk=None):
        return self._run(commands.transfer, s.TicketTransferSerializer, pk)

    @extend_schema(
        request=s.TicketReasonSerializer,
        parameters=[IF_MATCH],
        responses={200: s.TicketDetailSerializer, **ACTION_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="hand-back")
    def hand_back(self, request, pk=None):
        return self._run(commands.hand_back, s.TicketReasonSerializer, pk)

    @extend_schema(
        request=s.TicketVersionSerializer,
        parameters=[IF_MATCH],
        responses={200: s.TicketDetailSerializer, **ACTION_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        return self._run(commands.start, s.TicketVersionSerializer, pk)

    @extend_schema(
        request=s.ChecklistTickSerializer,
        parameters=[
            IF_MATCH,
            OpenApiParameter("step_id", OpenApiTypes.INT, OpenApiParameter.PATH),
        ],
        responses={200: s.TicketDetailSerializer, **ACTION_ERRORS},
        description=str(_("M11: a procedure step done, with a note and a photo where asked.")),
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"checklist/(?P<step_id>\d+)/tick",
        parser_classes=[MultiPartParser, FormParser, JSONParser],
    )
    def checklist_tick(self, request, pk=None, step_id=None):
        return self._run(commands.tick_step, s.ChecklistTickSerializer, pk, step_id=int(step_id))

    @extend_schema(
        request=s.TicketExtendSerializer,
        parameters=[IF_MATCH],
        responses={200: s.TicketDetailSerializer, **ACTION_ERRORS},
        description=str(
            _(
                "M09: move the deadline after a proactive contact with the customer, made before "
                "the deadline, and with their agreement."
            )
        ),
    )
    @action(detail=True, methods=["post"])
    def extend(self, request, pk=None):
        return self._run(commands.extend, s.TicketExtendSerializer, pk)

    @extend_schema(
        request=s.TicketProposeExtensionSerializer,
        parameters=[IF_MATCH],
        responses={200: s.TicketDetailSerializer, **ACTION_ERRORS},
        description=str(
            _(
                "M09: propose a new deadline to the customer before the current one passes; the "
                "customer agrees or refuses in the portal, and only agreement moves the deadline."
            )
        ),
    )
    @action(detail=True, methods=["post"], url_path="propose-extension")
    def propose_extension(self, request, pk=None):
        return self._run(commands.propose_extension, s.TicketProposeExtensionSerializer, pk)

    @extend_schema(
        request=s.TicketCompleteSerializer,
        parameters=[IF_MATCH],
        responses={200: s.TicketDetailSerializer, **ACTION_ERRORS},
        description=str(
            _(
                "The work is done: summary, final charge (the office's revenue) and photos of the "
                "finished work (multipart/form-data)."
            )
        ),
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser, JSONParser])
    def complete(self, request, pk=None):
        return self._run(commands.complete, s.TicketCompleteSerializer, pk)

    @extend_schema(
        request=s.TicketCustomerConfirmSerializer,
        parameters=[IF_MATCH],
        responses={200: s.TicketDetailSerializer, **ACTION_ERRORS},
        description=str(
            _("The customer's confirmation: satisfied closes it, unsatisfied opens rework.")
        ),
    )
    @action(detail=True, methods=["post"], url_path="customer-confirm")
    def customer_confirm(self, request, pk=None):
        return self._run(commands.customer_confirm, s.TicketCustomerConfirmSerializer, pk)

    @extend_schema(
        request=s.TicketReworkSerializer,
        responses={201: s.TicketDetailSerializer, **ACTION_ERRORS},
        description=str(
            _(
                "M15: the customer says a defect remains after the work was done. Opens a rework "
                "order linked to this one, high priority, due 24 hours after the complaint, and "
                "dispatched at once; its special follow-up falls due at the same time. The answer "
                "is the rework order. 409 while the work is not done yet."
            )
        ),
    )
    @action(detail=True, methods=["post"])
    def rework(self, request, pk=None):
        original = self._ticket(pk)  # 404 before 400
        data = validated(s.TicketReworkSerializer, request.data, request=request)
        rework = commands.rework(request.user, original, data, expected_version=None)
        return self._detail(rework.pk, status.HTTP_201_CREATED)

    @extend_schema(
        request=s.TicketReasonSerializer,
        parameters=[IF_MATCH],
        responses={200: s.TicketDetailSerializer, **ACTION_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._run(commands.cancel, s.TicketReasonSerializer, pk)


class PublicQuoteView(APIView):
    """The customer's one-time link (M10): see the fee standard, accept or decline it.
    No login: the unguessable token is the key, and only the fee is shown."""

    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []  # anonymous by design; no session, so no CSRF either

    def _quote(self, token) -> Quote:
        quote = selectors.quote_by_token(token)
        if quote is None:
            raise NotFound(_("This link is not valid."))
        return quote

    @extend_schema(responses={200: s.PublicQuoteSerializer, 404: ErrorSerializer})
    def get(self, request, token):
        return Response(s.PublicQuoteSerializer(self._quote(token)).data)

    @extend_schema(
        request=s.PublicQuoteAnswerSerializer,
        responses={
            200: s.PublicQuoteSerializer,
            400: ErrorSerializer,
            404: ErrorSerializer,
        },
    )
    def post(self, request, token):
        data = validated(s.PublicQuoteAnswerSerializer, request.data, request=request)
        services.quote_answer_by_link(token=token, accepted=data["accepted"])
        return Response(s.PublicQuoteSerializer(self._quote(token)).data)


@extend_schema(parameters=[s.TechnicianFilterSerializer])
class TechnicianList(generics.ListAPIView):
    """Active technicians the user may dispatch to, with how many open jobs each holds."""

    serializer_class = s.TechnicianSerializer

    def get_queryset(self):
        params = validated(
            s.TechnicianFilterSerializer, self.request.query_params, request=self.request
        )
        busy = Q(assigned_tickets__status__in=WITH_TECHNICIAN_STATUSES)
        return technicians_for(self.request.user, office_id=params.get("office")).annotate(
            open_jobs=Count("assigned_tickets", filter=busy)
        )


# --- the revenue report (M24) -----------------------------------------------------------------


def _revenue(request):
    require(request.user, "revenue.view")  # 403 before anything is said of the filters
    f = validated(s.RevenueFilterSerializer, request.query_params.dict(), request=request)
    start, end = month_range(f.get("start"), f.get("end"), now=timezone.now())
    filters = RevenueFilters(
        start=start, end=end, office=f.get("office"), category=f.get("category"), item=f.get("item")
    )
    return revenue_report(request.user, filters)


class RevenueReportView(APIView):
    """Revenue from paid and special services (M24): the total, every month's total, and a page
    of rows per month, office and item, in yuan. Office staff see their own office; company
    roles every office or one. Months are calendar months in Asia/Shanghai."""

    @extend_schema(
        parameters=[s.RevenueFilterSerializer, OpenApiParameter("page", OpenApiTypes.INT)],
        responses={200: s.RevenueReportSerializer, **ERRORS},
    )
    def get(self, request):
        report = _revenue(request)
        paginator = CappedPageNumberPagination()
        page = paginator.paginate_queryset(report.rows, request, view=self)
        rows = RevenueRowSerializer([revenue_row(r) for r in page], many=True).data
        office = report.office
        return Response(
            {
                "start": report.filters.start.key,
                "end": report.filters.end.key,
                "office": {"id": office.pk, "name": office.name} if office else None,
                "total": s.revenue.RevenueTotalsSerializer(report.total).data,
                "months": s.revenue.RevenueMonthSerializer(report.months, many=True).data,
                **paginator.get_paginated_response(rows).data,
            }
        )


class XLSXRenderer(renderers.BaseRenderer):
    """Lets a client ask for the spreadsheet in Accept; errors still come as JSON text."""

    media_type = exports.XLSX
    format = "xlsx"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data if isinstance(data, bytes) else json.dumps(data).encode()


class RevenueExportView(APIView):
    renderer_classes = [renderers.JSONRenderer, XLSXRenderer]

    @extend_schema(
        parameters=[s.RevenueFilterSerializer],
        responses={
            (200, exports.XLSX): OpenApiResponse(
                response=OpenApiTypes.BINARY,
                description="The report as an .xlsx: a row per month, office and item with its "
                "charges, revenue and special services' revenue, the total, and a sheet of the "
                "months' totals.",
            ),
            **ERRORS,
        },
    )
    def get(self, request):
        """The revenue report (same filters) as an .xlsx spreadsheet."""
        report = _revenue(request)
        return FileResponse(
            exports.revenue_xlsx(report),
            as_attachment=True,
            filename=exports.revenue_filename(report),
            content_type=exports.XLSX,
        )
