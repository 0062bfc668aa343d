"""The complaints' REST API (M17–M20, M23): staff endpoints under /api/v1/complaints/, the
preventive measures under /api/v1/complaint-measures/, the corrective action register under
/api/v1/reports/, and the customer's under /api/v1/portal/complaints/.

Thin: the selectors read (another office's complaint, or one about the user, is not found), every
change is one call to a service, and the API's exception handler turns a service's
``DomainError`` into the one JSON error shape with its status.
"""

from django.db.models import Prefetch, Q, prefetch_related_objects
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from propdesk.core.api import (
    IDEMPOTENCY_KEY,
    IF_MATCH,
    expected_version,
    idempotent_create,
    validated,
)
from propdesk.core.errors import Conflict, NotFound
from propdesk.core.permissions import require
from propdesk.core.serializers import ErrorSerializer
from propdesk.customers.selectors import customer_get
from propdesk.portal import selectors as portal_selectors
from propdesk.portal.api import CustomerView
from propdesk.tickets import selectors as ticket_selectors
from propdesk.tickets.models import Contact, TicketEvent

from . import lifecycle, rules, selectors
from . import serializers as s
from .models import Complaint, CorrectiveActionReport, CorrectivePlan, Escalation, PreventiveMeasure
from .services import handling, intake, prevention

ERROR = ErrorSerializer  # the API's one error shape
ACTION_ERRORS = {400: ERROR, 403: ERROR, 404: ERROR, 409: ERROR}
CUSTOMER_READ_ERRORS = {401: ERROR, 404: ERROR}
CUSTOMER_ACTION_ERRORS = {400: ERROR, **CUSTOMER_READ_ERRORS, 409: ERROR}

ACTIONS, actions_for = lifecycle.ACTIONS, lifecycle.actions_for  # the API's `actions`


DETAIL_PREFETCH = (
    "about_staff",
    Prefetch("escalations", queryset=Escalation.objects.select_related("actor")),
    Prefetch(
        "plans",
        queryset=CorrectivePlan.objects.select_related(
            "issued_by", "reported_by", "decided_by"
        ).order_by("created_at", "pk"),
    ),
    Prefetch(
        "measures",
        queryset=PreventiveMeasure.objects.select_related("owner", "done_by", "created_by"),
    ),
    Prefetch("answer_contact", queryset=Contact.objects.select_related("staff")),
)
REPORT_RELATED = (
    "office",
    "complaint__ticket",
    "prepared_by",
    "submitted_by",
    "approved_by",
)


def _latest_plan(complaint: Complaint) -> CorrectivePlan:
    """The plan in force, else the latest (only one is ever in force, and it is the newest)."""
    plan = complaint.plans.order_by("-created_at", "-pk").first()
    if plan is None:
        raise Conflict(
            _("No corrective plan has been issued for this complaint."),
            code="no_plan",
            field="plan",
        )
    return plan


def _report_response(report: CorrectiveActionReport, code=status.HTTP_200_OK) -> Response:
    data = s.CorrectiveActionReportSerializer(report).data
    # The report's version doubles as its ETag, so clients can send it back as If-Match.
    return Response(data, status=code, headers={"ETag": f'"{report.version}"'})


def _record_version(request, serializer_class) -> tuple[dict, int]:
    """The input, and the version of the measure or report it was sent against (``version`` in
    the body, else If-Match; 428 without)."""
    data = validated(serializer_class, request.data, request=request)
    version = expected_version(request, data)
    data.pop("version", None)
    return data, version


def _report_of(complaint: Complaint) -> CorrectiveActionReport:
    report = CorrectiveActionReport.objects.filter(complaint=complaint).first()
    if report is None:
        raise Conflict(
            _("Write the corrective action report first."), code="no_report", field="report"
        )
    return report


# --- staff: complaints --------------------------------------------------------------------------


@method_decorator(
    name="list",
    decorator=extend_schema(
        parameters=[s.ComplaintFilterSerializer],
        responses={200: s.ComplaintListSerializer(many=True), 400: ERROR},
        description="The complaints you may see (your office's; every office's for company "
        "roles; never one about you), newest first, with their clocks and overdue flags.",
    ),
)
class ComplaintViewSet(viewsets.GenericViewSet):
    """Complaints: list, file, read in full, and one endpoint per step of their handling."""

    serializer_class = s.ComplaintSerializer
    queryset = Complaint.objects.none()  # for the schema only; reads go through selectors
    lookup_value_regex = r"\d+"

    def _complaint(self, pk) -> Complaint:
        return selectors.complaint_get(self.request.user, pk)

    def _detail(self, pk, code=status.HTTP_200_OK, *, read_back=False) -> Response:
        user = self.request.user
        try:
            complaint, visible = self._complaint(pk), True
        except NotFound:
            if not read_back:
                raise
            # The user has just named themself (filing or reclassifying): they read what they
            # recorded in this one answer; from now on it is hidden from them (M18).
            complaint = Complaint.objects.select_related(*selectors.LIST_RELATED).get(pk=pk)
            visible = False
        prefetch_related_objects([complaint], *DETAIL_PREFETCH)
        plans = list(complaint.plans.all())
        report = CorrectiveActionReport.objects.filter(complaint=complaint).first()
        timeline = TicketEvent.objects.filter(ticket_id=complaint.ticket_id).select_related("actor")
        context = {
            "now": timezone.now(),
            "user": user,
            "handles": visible and rules.handles(user, complaint),
            "report": report,
            "timeline": timeline.order_by("at", "pk"),
            "actions": actions_for(user, complaint, plans=plans, report=report) if visible else [],
        }
        data = s.ComplaintSerializer(complaint, context=context).data
        # The version doubles as an ETag, so clients can send it back as If-Match.
        return Response(data, status=code, headers={"ETag": f'"{complaint.version}"'})

    def _input(self, serializer_class, pk) -> tuple[Complaint, dict]:
        """The complaint, and what was sent with ``expected_version``, the version the client
        acted on (``version`` in the body, else If-Match) in place of ``version``."""
        complaint = self._complaint(pk)  # 404 before 400: nothing said about one you cannot see
        data = validated(serializer_class, self.request.data, request=self.request)
        data["expected_version"] = expected_version(self.request, data)
        data.pop("version", None)
        return complaint, data

    def _report_answer(self, report, code=status.HTTP_200_OK) -> Response:
        report = CorrectiveActionReport.objects.select_related(*REPORT_RELATED).get(pk=report.pk)
        return _report_response(report, code)

    # --- reads ---------------------------------------------------------------------------

    def list(self, request):
        params = validated(
            s.ComplaintFilterSerializer, request.query_params.dict(), request=request
        )
        complaints = selectors.complaint_list(request.user, selectors.ComplaintFilters(**params))
        page = self.paginate_queryset(complaints)
        context = {"now": timezone.now()}
        return self.get_paginated_response(
            s.ComplaintListSerializer(page, many=True, context=context).data
        )

    @extend_schema(
        parameters=[s.ComplaintNumbersFilterSerializer],
        responses={200: s.ComplaintNumbersSerializer, 400: ERROR, 403: ERROR},
        description="M19, M23: how the complaints received from `start` to `end` went, per "
        "office in the user's scope and for them all (the compliance board's numbers).",
    )
    @action(detail=False, methods=["get"], pagination_class=None)
    def numbers(self, request):
        import datetime as dt

        require(request.user, "complaint.view")
        period = validated(
            s.ComplaintNumbersFilterSerializer, request.query_params.dict(), request=request
        )
        start, end = (
            timezone.make_aware(dt.datetime.combine(day, dt.time.min))
            for day in (period["start"], period["end"] + dt.timedelta(days=1))
        )
        rows, total = selectors.numbers(request.user, start=start, end=end, now=timezone.now())
        data = {**period, "offices": rows, "company": total}
        return Response(s.ComplaintNumbersSerializer(data).data)

    @extend_schema(
        responses={200: s.ComplaintSerializer, 404: ERROR},
        description="One complaint in full: how it was heard, whom it is about, its "
        "escalations, corrective plans, answer, cause, preventive measures, report, timeline, "
        "and `actions`, what you may do to it now.",
    )
    def retrieve(self, request, pk=None):
        return self._detail(pk)

    # --- intake --------------------------------------------------------------------------

    @extend_schema(
        request=s.ComplaintCreateSerializer,
        parameters=[IDEMPOTENCY_KEY],
        responses={201: s.ComplaintSerializer, **ACTION_ERRORS},
        description="M17: record a complaint. Heard in person or on the phone it needs "
        "`listened`, `understanding` and `explanation`, and counts as responded to. A "
        "compensation claim, or a complaint about the office director, goes to company "
        "leadership at once (M18). A retry with the same Idempotency-Key files nothing twice.",
    )
    def create(self, request):
        data = validated(s.ComplaintCreateSerializer, request.data, request=request)

        def file():
            fields = dict(data)
            try:
                customer = customer_get(request.user, fields.pop("customer"))
            except NotFound:
                raise NotFound(field="customer") from None  # another office's: not there at all
            return intake.complaint_file(actor=request.user, customer=customer, **fields)

        return idempotent_create(
            request,
            owner=f"staff:{request.user.pk}",
            data=data,
            create=file,
            answer=lambda pk, code: self._detail(pk, code, read_back=True),
            status=status.HTTP_201_CREATED,
        )

    # --- handling ------------------------------------------------------------------------

    @extend_schema(
        parameters=[IF_MATCH],
        request=s.ComplaintRespondSerializer,
        responses={200: s.ComplaintSerializer, **ACTION_ERRORS},
        description="M17: the first response to a written complaint: the customer was called, "
        "understanding shown and an explanation given (recorded as a contact).",
    )
    @action(detail=True, methods=["post"])
    def respond(self, request, pk=None):
        complaint, data = self._input(s.ComplaintRespondSerializer, pk)
        handling.complaint_respond(actor=request.user, complaint=complaint, **data)
        return self._detail(pk)

    @extend_schema(
        parameters=[IF_MATCH],
        request=s.ComplaintReasonSerializer,
        responses={200: s.ComplaintSerializer, **ACTION_ERRORS},
        description="M19: pass the complaint up one level (the office's service center → "
        "Quality Management → company leadership), with the `reason`.",
    )
    @action(detail=True, methods=["post"])
    def escalate(self, request, pk=None):
        complaint, data = self._input(s.ComplaintReasonSerializer, pk)
        handling.complaint_escalate(actor=request.user, complaint=complaint, **data)
        return self._detail(pk)

    @extend_schema(
        parameters=[IF_MATCH],
        request=s.ComplaintReclassifySerializer,
        responses={200: s.ComplaintSerializer, **ACTION_ERRORS},
        description="Correct the severity (Quality, leadership), whom it is about, or the "
        "compensation claimed, with the `reason`; only the fields sent change. A new floor "
        "(M18) sends it up to leadership at once; staff it is now about stop seeing it.",
    )
    @action(detail=True, methods=["post"])
    def reclassify(self, request, pk=None):
        complaint, data = self._input(s.ComplaintReclassifySerializer, pk)
        handling.complaint_reclassify(actor=request.user, complaint=complaint, **data)
        return self._detail(pk, read_back=True)

    @extend_schema(
        parameters=[IF_MATCH],
        request=s.ComplaintPlanSerializer,
        responses={201: s.ComplaintSerializer, **ACTION_ERRORS},
        description="M18: the company's corrective plan for a company-level complaint, for the "
        "office to carry out. An office-level complaint has none (409 `office_level`).",
    )
    @action(detail=True, methods=["post"], url_path="plan")
    def plan(self, request, pk=None):
        complaint, data = self._input(s.ComplaintPlanSerializer, pk)
        handling.plan_issue(actor=request.user, complaint=complaint, **data)
        return self._detail(pk, status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[IF_MATCH],
        request=s.ComplaintPlanReportSerializer,
        responses={200: s.ComplaintSerializer, **ACTION_ERRORS},
        description="The office reports the plan in force carried out.",
    )
    @action(detail=True, methods=["post"], url_path="plan/report")
    def plan_report(self, request, pk=None):
        complaint, data = self._input(s.ComplaintPlanReportSerializer, pk)
        handling.plan_report(actor=request.user, plan=_latest_plan(complaint), **data)
        return self._detail(pk)

    @extend_schema(
        parameters=[IF_MATCH],
        request=s.ComplaintVersionSerializer,
        responses={200: s.ComplaintSerializer, **ACTION_ERRORS},
        description="The company accepts the plan the office reported done.",
    )
    @action(detail=True, methods=["post"], url_path="plan/accept")
    def plan_accept(self, request, pk=None):
        complaint, data = self._input(s.ComplaintVersionSerializer, pk)
        handling.plan_accept(actor=request.user, plan=_latest_plan(complaint), **data)
        return self._detail(pk)

    @extend_schema(
        parameters=[IF_MATCH],
        request=s.ComplaintReasonSerializer,
        responses={200: s.ComplaintSerializer, **ACTION_ERRORS},
        description="The company returns the reported plan to the office: `reason`, what is "
        "still to be done.",
    )
    @action(detail=True, methods=["post"], url_path="plan/return")
    def plan_return(self, request, pk=None):
        complaint, data = self._input(s.ComplaintReasonSerializer, pk)
        handling.plan_return(actor=request.user, plan=_latest_plan(complaint), **data)
        return self._detail(pk)

    @extend_schema(
        parameters=[IF_MATCH],
        request=s.ComplaintResolveSerializer,
        responses={200: s.ComplaintSerializer, **ACTION_ERRORS},
        description="The problem is solved. At company level the corrective plan must be "
        "accepted first (409 `plan_not_accepted`).",
    )
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        complaint, data = self._input(s.ComplaintResolveSerializer, pk)
        handling.complaint_resolve(actor=request.user, complaint=complaint, **data)
        return self._detail(pk)

    @extend_schema(
        parameters=[IF_MATCH],
        request=s.ComplaintAnswerInputSerializer,
        responses={200: s.ComplaintSerializer, **ACTION_ERRORS},
        description="M18, M19, M23: the follow-up contact with the customer once resolved (a "
        "company department at company level, the office's service center otherwise). Not "
        "`reached`: the attempt is recorded; not `satisfied`: handling resumes.",
    )
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        complaint, data = self._input(s.ComplaintAnswerInputSerializer, pk)
        handling.complaint_answer(actor=request.user, complaint=complaint, **data)
        return self._detail(pk)

    @extend_schema(
        parameters=[IF_MATCH],
        request=s.ComplaintCauseSerializer,
        responses={200: s.ComplaintSerializer, **ACTION_ERRORS},
        description="M20: why it happened; may be revised until the complaint is closed.",
    )
    @action(detail=True, methods=["post"])
    def cause(self, request, pk=None):
        complaint, data = self._input(s.ComplaintCauseSerializer, pk)
        prevention.cause_record(
            actor=request.user,
            complaint=complaint,
            cause_category=data["cause_category"],
            analysis=data["cause_analysis"],
            substantiated=data["substantiated"],
            expected_version=data["expected_version"],
        )
        return self._detail(pk)

    @extend_schema(
        parameters=[IF_MATCH],
        request=s.ComplaintMeasureAddSerializer,
        responses={201: s.ComplaintSerializer, **ACTION_ERRORS},
        description="M20: a preventive measure, with its `owner` (a member of staff of the "
        "office or the company, not one it is about) and `due_on`.",
    )
    @action(detail=True, methods=["post"])
    def measures(self, request, pk=None):
        complaint, data = self._input(s.ComplaintMeasureAddSerializer, pk)
        prevention.measure_add(actor=request.user, complaint=complaint, **data)
        return self._detail(pk, status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[IF_MATCH],
        request=s.ComplaintVersionSerializer,
        responses={200: s.ComplaintSerializer, **ACTION_ERRORS},
        description="Close it: only once the customer was answered (409 `no_answer_contact`), "
        "the cause analysed (`no_cause`), a preventive measure set (`no_prevention`) and, for a "
        "major complaint, its corrective action report approved (`report_not_approved`).",
    )
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        complaint, data = self._input(s.ComplaintVersionSerializer, pk)
        handling.complaint_close(actor=request.user, complaint=complaint, **data)
        return self._detail(pk)

    # --- the corrective action report ----------------------------------------------------

    @extend_schema(
        parameters=[IF_MATCH],
        request=s.ComplaintReportSaveSerializer,
        responses={200: s.CorrectiveActionReportSerializer, **ACTION_ERRORS},
        description="M20: write or rewrite the complaint's corrective action report (纠正措施报告) "
        "while it is a draft or was returned: `title`, `facts`, `cause`, `correction`, "
        "`prevention`, `verification`.",
    )
    @action(detail=True, methods=["put"])
    def report(self, request, pk=None):
        complaint, data = self._input(s.ComplaintReportSaveSerializer, pk)
        report = prevention.report_save(actor=request.user, complaint=complaint, **data)
        return self._report_answer(report)

    @extend_schema(
        parameters=[IF_MATCH],
        request=s.RecordVersionSerializer,
        responses={200: s.CorrectiveActionReportSerializer, **ACTION_ERRORS},
        description="Submit the report to the Quality Management Department for approval; "
        "every section must be filled in (400 naming the empty one). Send the report's own "
        "`version` (its ETag), not the complaint's.",
    )
    @action(detail=True, methods=["post"], url_path="report/submit")
    def report_submit(self, request, pk=None):
        report = _report_of(self._complaint(pk))
        _data, version = _record_version(request, s.RecordVersionSerializer)
        return self._report_answer(
            prevention.report_submit(actor=request.user, report=report, expected_version=version)
        )


# --- staff: preventive measures -----------------------------------------------------------------


class ComplaintMeasureViewSet(viewsets.GenericViewSet):
    """A complaint's preventive measures (M20), marked done by their owner or a handler."""

    serializer_class = s.PreventiveMeasureSerializer
    queryset = PreventiveMeasure.objects.none()  # for the schema only
    lookup_value_regex = r"\d+"

    @extend_schema(
        parameters=[IF_MATCH],
        request=s.ComplaintMeasureDoneSerializer,
        responses={200: s.PreventiveMeasureSerializer, **ACTION_ERRORS},
        description="Mark a preventive measure done, with a `note` on how (also after the "
        "complaint closed). Its owner may, whatever their role; so may the complaint's handlers.",
    )
    @action(detail=True, methods=["post"])
    def done(self, request, pk=None):
        user = request.user
        # Its owner finds it (even without seeing the complaint); anyone else through the
        # complaints they may see.
        measure = (
            PreventiveMeasure.objects.filter(
                Q(owner_id=user.pk) | Q(complaint__in=selectors.complaints_for(user).values("pk")),
                pk=pk,
            )
            .select_related("complaint")
            .first()
        )
        if measure is None:
            raise NotFound()
        data, version = _record_version(request, s.ComplaintMeasureDoneSerializer)
        prevention.measure_done(
            actor=user, measure=measure, note=data["note"], expected_version=version
        )
        measure = PreventiveMeasure.objects.select_related("owner", "done_by", "created_by").get(
            pk=measure.pk
        )
        return Response(s.PreventiveMeasureSerializer(measure, context={"user": user}).data)


# --- staff: the corrective action register ------------------------------------------------------


@method_decorator(
    name="list",
    decorator=extend_schema(
        parameters=[s.CorrectiveActionReportFilterSerializer],
        responses={200: s.CorrectiveActionReportListSerializer(many=True), 400: ERROR},
        description="M20: the register of corrective action reports, read company-wide: the "
        "approved ones, newest first; with `approved_only=false` also the drafts and submitted "
        "ones of complaints you may see.",
    ),
)
class ReportViewSet(viewsets.GenericViewSet):
    serializer_class = s.CorrectiveActionReportSerializer
    queryset = CorrectiveActionReport.objects.none()  # for the schema only
    lookup_value_regex = r"\d+"

    def _report(self, pk) -> CorrectiveActionReport:
        report = (
            selectors.reports_for(self.request.user)
            .select_related(*REPORT_RELATED)
            .filter(pk=pk)
            .first()
        )
        if report is None:
            raise NotFound()
        return report

    def _answer(self, pk) -> Response:
        return _report_response(self._report(pk))

    def list(self, request):
        params = validated(
            s.CorrectiveActionReportFilterSerializer, request.query_params.dict(), request=request
        )
        reports = selectors.register(request.user, **params)
        page = self.paginate_queryset(reports)
        return self.get_paginated_response(
            s.CorrectiveActionReportListSerializer(page, many=True).data
        )

    @extend_schema(responses={200: s.CorrectiveActionReportSerializer, 404: ERROR})
    def retrieve(self, request, pk=None):
        return self._answer(pk)

    @extend_schema(
        parameters=[IF_MATCH],
        request=s.RecordVersionSerializer,
        responses={200: s.CorrectiveActionReportSerializer, **ACTION_ERRORS},
        description="Quality approves a submitted report (never one they wrote or submitted: "
        "403 `own_report`): it is numbered and announced to every member of staff as an "
        "internal notice.",
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        report = self._report(pk)
        _data, version = _record_version(request, s.RecordVersionSerializer)
        prevention.report_approve(actor=request.user, report=report, expected_version=version)
        return self._answer(pk)

    @extend_schema(
        parameters=[IF_MATCH],
        request=s.ReportReturnSerializer,
        responses={200: s.CorrectiveActionReportSerializer, **ACTION_ERRORS},
        description="Return a submitted report for changes, with the `reason`.",
    )
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_report(self, request, pk=None):
        report = self._report(pk)
        data, version = _record_version(request, s.ReportReturnSerializer)
        prevention.report_return(
            actor=request.user, report=report, expected_version=version, **data
        )
        return self._answer(pk)


# --- the customer's -----------------------------------------------------------------------------


@extend_schema(tags=["customer"])
class CustomerComplaintViewSet(CustomerView, viewsets.GenericViewSet):
    """The signed-in customer's own complaints: file one, and follow its progress."""

    serializer_class = s.CustomerComplaintSerializer
    queryset = Complaint.objects.none()  # for the schema only
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    lookup_value_regex = r"\d+"

    def _detail(self, pk, code=status.HTTP_200_OK) -> Response:
        complaint = selectors.complaint_of_customer(self.account.customer, pk)
        prefetch_related_objects([complaint], "answer_contact")
        context = {
            "request": self.request,
            "timeline": ticket_selectors.customer_timeline(complaint.ticket),
            "photos": list(complaint.ticket.photos.values_list("pk", flat=True)),
        }
        data = s.CustomerComplaintSerializer(complaint, context=context).data
        return Response(data, status=code)

    @extend_schema(
        responses={200: s.CustomerComplaintListSerializer(many=True), 401: ERROR},
        description="The customer's own complaints, newest first.",
    )
    def list(self, request):
        page = self.paginate_queryset(selectors.complaints_of_customer(self.account.customer))
        return self.get_paginated_response(s.CustomerComplaintListSerializer(page, many=True).data)

    @extend_schema(
        responses={200: s.CustomerComplaintSerializer, **CUSTOMER_READ_ERRORS},
        description="One of the customer's complaints: its progress, the timeline as the "
        "customer sees it, the resolution and the answer.",
    )
    def retrieve(self, request, pk=None):
        return self._detail(pk)

    @extend_schema(
        request={
            "application/json": s.CustomerComplaintCreateSerializer,
            "multipart/form-data": s.CustomerComplaintCreateSerializer,
        },
        parameters=[IDEMPOTENCY_KEY],
        responses={201: s.CustomerComplaintSerializer, **CUSTOMER_ACTION_ERRORS},
        description="File a complaint: JSON, or multipart/form-data with up to 5 photos "
        "(repeat `photos`). The office's service center responds within its first-response "
        "time; a compensation claim goes to company leadership. A retry with the same "
        "Idempotency-Key files nothing twice.",
    )
    def create(self, request):
        account = self.account
        data = validated(s.CustomerComplaintCreateSerializer, request.data, request=request)
        household = data.pop("household", None)
        if household is not None:
            try:
                data["household"] = portal_selectors.household_of(account, household)
            except NotFound:
                raise NotFound(field="household") from None  # another's is not there at all
        return idempotent_create(
            request,
            owner=f"customer:{account.customer_id}",
            data=data,
            create=lambda: intake.complaint_file_by_customer(customer=account.customer, **data),
            answer=self._detail,
            status=status.HTTP_201_CREATED,
        )
