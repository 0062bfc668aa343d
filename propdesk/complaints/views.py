"""Console pages of complaints (M17–M20, M23): the complaint desk (an office's, and the company's
for Quality and leadership), intake, a complaint with one small form per action the person may
take now, the corrective action reports and their register, and one's own preventive measures.

Thin: selector → form → service → redirect with a message; when the service refuses, the page
again with its message and its status (400, 403, 409), nothing changed.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from propdesk.core.errors import DomainError
from propdesk.core.forms import show_error
from propdesk.core.pagination import CappedPaginator
from propdesk.core.permissions import allowed
from propdesk.core.views import get_or_404
from propdesk.customers.selectors import customer_get, customer_list
from propdesk.org.models import Role
from propdesk.tickets.models import Channel
from propdesk.tickets.selectors import ticket_timeline

from . import forms, rules, selectors
from .models import Complaint, CorrectiveActionReport, CorrectivePlan, PreventiveMeasure
from .services import handling, intake, prevention

State, Owner, Severity = Complaint.State, Complaint.Owner, Complaint.Severity
Report, Plan = CorrectiveActionReport, CorrectivePlan
PAGE_SIZE = 25
CUSTOMER_SEARCH_LIMIT = 20
# The company desk: Quality and leadership open on the complaints at their own level.
DESK_OWNER = {Role.QUALITY: Owner.QUALITY, Role.LEADERSHIP: Owner.LEADERSHIP}
TABS = (
    ("open", _("All open")),
    (State.RECEIVED, _("To respond")),
    (State.IN_PROGRESS, _("Being handled")),
    (State.RESOLVED, _("To answer")),
    (State.ANSWERED, _("To close")),
    (State.CLOSED, _("Closed")),
    ("all", _("All")),
)


def _denied(request, message=None):
    message = message or _("Your role may not do this.")
    return render(request, "console/denied.html", {"message": message}, status=403)


def _visible(user, pk) -> bool:
    return selectors.complaints_for(user).filter(pk=pk).exists()


def _form_error(form, err: DomainError) -> int:
    """The service's message on the field it names, else on the form; its status."""
    if err.status == 404:
        raise Http404
    return show_error(form, err)


# --- the clocks (M19, M23) ---------------------------------------------------------------------


@dataclass(frozen=True)
class Clock:
    due: dt.datetime | None
    met_at: dt.datetime | None
    # "met", "late" (met after the deadline), "overdue", "soon" (a quarter or less left),
    # "running"
    state: str

    @property
    def tone(self) -> str:
        return {"met": "green", "late": "red", "overdue": "red", "soon": "amber"}.get(
            self.state, ""
        )


def _clock(due, met_at, length: dt.timedelta, now) -> Clock:
    if met_at is not None:
        return Clock(due, met_at, "late" if due and met_at > due else "met")
    if due is None:
        return Clock(None, None, "running")
    if now >= due:
        return Clock(due, None, "overdue")
    if due - now <= length * rules.REMIND_AT:  # as the reminder job counts (services.clocks)
        return Clock(due, None, "soon")
    return Clock(due, None, "running")


def _set_clocks(complaint: Complaint, now) -> Complaint:
    first, resolution = rules.CLOCKS[complaint.severity]
    complaint.first_clock = _clock(
        complaint.first_response_due_at, complaint.first_responded_at, first, now
    )
    resolved = complaint.resolved_at if not complaint.is_open else None
    complaint.resolution_clock = _clock(complaint.ticket.due_at, resolved, resolution, now)
    return complaint


# --- the desk -----------------------------------------------------------------------------------


def _desk_data(user, query):
    """The filters asked for, with the desk's defaults where none was given: open complaints,
    and for Quality and leadership those at their own level."""
    data = query.copy()
    data.pop("page", None)
    if "owner" not in data and user.role in DESK_OWNER:
        data["owner"] = DESK_OWNER[user.role]
    if "state" not in data and "open" not in data:
        data["open"] = forms.OPEN
    return data


def _tab(data) -> str:
    if data.get("state"):
        return data["state"]
    return {forms.OPEN: "open", forms.CLOSED: State.CLOSED}.get(data.get("open") or "", "all")


@login_required
@require_GET
def complaint_list(request):
    user = request.user
    if not allowed(user, "complaint.view"):
        return _denied(request)
    data = _desk_data(user, request.GET)
    form = forms.ComplaintFilterForm(data, user=user)
    page, status = None, 200
    if form.is_valid():
        qs = selectors.complaint_list(user, form.filters())
        page = CappedPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
        now = timezone.now()
        for complaint in page:
            _set_clocks(complaint, now)
    else:
        status = 400
    context = {
        "form": form,
        "page": page,
        "tab": _tab(data),
        "tabs": TABS,
        "company_desk": user.role in DESK_OWNER,
        "can_file": allowed(user, "complaint.file"),
    }
    return render(request, "complaints/list.html", context, status=status)


@login_required
@require_GET
def complaint_numbers(request):
    """M19, M23: how the complaints received in a period went, per office and for the company."""
    user = request.user
    if not allowed(user, "complaint.view"):
        return _denied(request)
    form = forms.PeriodForm(request.GET or None)
    status, rows, total = 200, [], None
    if form.is_valid():
        start, end = form.bounds()
        rows, total = selectors.numbers(user, start=start, end=end, now=timezone.now())
    else:
        status = 400
    context = {"form": form, "rows": rows, "total": total}
    return render(request, "complaints/numbers.html", context, status=status)


# --- intake (M17) -------------------------------------------------------------------------------


def _after_change(request, complaint: Complaint):
    """Back to the complaint, or to the desk when the change hid it from the person (they named
    themself)."""
    if _visible(request.user, complaint.pk):
        return redirect("console:complaint", pk=complaint.pk)
    return redirect("console:complaints")


@login_required
@require_http_methods(["GET", "POST"])
def complaint_new(request):
    user = request.user
    if not allowed(user, "complaint.file"):
        return _denied(request)
    customer_id = request.POST.get("customer") or request.GET.get("customer")
    if not customer_id:
        q = request.GET.get("q", "").strip()
        customers = list(customer_list(user, q)[:CUSTOMER_SEARCH_LIMIT]) if q else []
        return render(request, "complaints/new.html", {"customers": customers, "q": q})
    customer = get_or_404(customer_get, user, customer_id)
    # From a follow-up call or another page: the channel it came by (M17).
    channel = request.GET.get("channel", "")
    initial = {"channel": channel} if channel in Channel.values and channel != "portal" else {}
    form = forms.ComplaintForm(request.POST or None, user=user, customer=customer, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                complaint = intake.complaint_file(actor=user, **form.service_kwargs())
            except DomainError as err:
                status = _form_error(form, err)
            else:
                messages.success(
                    request,
                    _("Complaint %(number)s received.") % {"number": complaint.ticket.number},
                )
                if complaint.owner != Owner.SERVICE_CENTER:
                    messages.info(
                        request,
                        _("It is handled by %(owner)s.") % {"owner": Owner(complaint.owner).label},
                    )
                return _after_change(request, complaint)
    context = {"form": form, "customer": customer, "live_help": forms.live_help()}
    return render(request, "complaints/new.html", context, status=status)


# --- a complaint and its actions ----------------------------------------------------------------


@dataclass
class Situation:
    """What decides which forms a person sees on a complaint now."""

    user: object
    complaint: Complaint
    plan: CorrectivePlan | None  # the plan in force (not accepted), if any
    latest: CorrectivePlan | None  # the latest plan, whatever its state
    handles: bool
    may: frozenset = frozenset()  # rules.actions_for: what the API lists too

    @property
    def state(self) -> str:
        return self.complaint.state


def _run_respond(user, complaint, plan, form):
    d = form.cleaned_data
    handling.complaint_respond(
        actor=user,
        complaint=complaint,
        understanding=d["understanding"],
        explanation=d["explanation"],
        channel=d["channel"],
    )


def _run_escalate(user, complaint, plan, form):
    d = form.cleaned_data
    handling.complaint_escalate(actor=user, complaint=complaint, reason=d["reason"])


def _run_reclassify(user, complaint, plan, form):
    handling.complaint_reclassify(
        actor=user, complaint=complaint, reason=form.cleaned_data["reason"], **form.changes()
    )


def _run_plan(user, complaint, plan, form):
    d = form.cleaned_data
    handling.plan_issue(actor=user, complaint=complaint, plan=d["plan"], due_at=d["due_at"])


def _run_plan_report(user, complaint, plan, form):
    d = form.cleaned_data
    handling.plan_report(actor=user, plan=plan, report=d["report"])


def _run_plan_accept(user, complaint, plan, form):
    handling.plan_accept(actor=user, plan=plan)


def _run_plan_return(user, complaint, plan, form):
    d = form.cleaned_data
    handling.plan_return(actor=user, plan=plan, reason=d["reason"])


def _run_resolve(user, complaint, plan, form):
    d = form.cleaned_data
    handling.complaint_resolve(
        actor=user,
        complaint=complaint,
        resolution=d["resolution"],
        compensation_agreed=(d.get("compensation_agreed") or "").strip() or None,
    )


def _run_answer(user, complaint, plan, form):
    d = form.cleaned_data
    handling.complaint_answer(
        actor=user,
        complaint=complaint,
        summary=d["summary"],
        channel=d["channel"],
        reached=d["reached"],
        satisfied=d["satisfied"] if d["reached"] else None,
    )
    if not d["reached"]:
        return _("The attempt is recorded; the customer still has to be answered.")
    if d["satisfied"] is False:
        return _("The customer is not satisfied: the complaint is being handled again.")
    return None


def _run_cause(user, complaint, plan, form):
    d = form.cleaned_data
    prevention.cause_record(
        actor=user,
        complaint=complaint,
        cause_category=d["cause_category"],
        analysis=d["analysis"],
        substantiated=d["substantiated"],
    )


def _run_measure(user, complaint, plan, form):
    d = form.cleaned_data
    prevention.measure_add(
        actor=user,
        complaint=complaint,
        description=d["description"],
        owner=d["owner"],
        due_on=d["due_on"],
    )


@dataclass(frozen=True)
class Action:
    label: str
    form: type
    shown: Callable[[Situation], bool]
    run: Callable
    done: str
    on_plan: bool = False  # posts to the plan in force's URL


def _may(name: str) -> Callable[[Situation], bool]:
    """Shown when ``rules.actions_for`` offers it: the console and the API offer the same."""
    return lambda s: name in s.may


# The complaint's actions, in the order its page shows them.
ACTIONS: dict[str, Action] = {
    "respond": Action(
        _("Respond to the customer"),
        forms.RespondForm,
        _may("respond"),
        _run_respond,
        _("First response recorded."),
    ),
    "plan_report": Action(
        _("Report the corrective plan done"),
        forms.PlanReportForm,
        _may("plan_report"),
        _run_plan_report,
        _("The plan is reported done."),
        on_plan=True,
    ),
    "plan_accept": Action(
        _("Accept the office's report"),
        forms.EmptyForm,
        _may("plan_accept"),
        _run_plan_accept,
        _("Corrective plan accepted."),
        on_plan=True,
    ),
    "plan_return": Action(
        _("Return the plan to the office"),
        forms.PlanReturnForm,
        _may("plan_return"),
        _run_plan_return,
        _("Corrective plan returned to the office."),
        on_plan=True,
    ),
    "plan": Action(
        _("Issue a corrective plan"),
        forms.PlanForm,
        _may("plan_issue"),
        _run_plan,
        _("Corrective plan issued to the office."),
    ),
    "resolve": Action(
        _("Resolve"),
        forms.ResolveForm,
        _may("resolve"),
        _run_resolve,
        _("Complaint resolved: now contact the customer with the outcome."),
    ),
    "answer": Action(
        _("Contact the customer with the outcome"),
        forms.AnswerForm,
        _may("answer"),
        _run_answer,
        _("The customer's answer is recorded."),
    ),
    "cause": Action(
        _("Cause analysis"),
        forms.CauseForm,
        _may("cause"),
        _run_cause,
        _("Cause recorded."),
    ),
    "measure": Action(
        _("Add a preventive measure"),
        forms.MeasureForm,
        _may("measure_add"),
        _run_measure,
        _("Preventive measure set."),
    ),
    "escalate": Action(
        _("Pass up a level"),
        forms.EscalateForm,
        _may("escalate"),
        _run_escalate,
        _("Complaint passed up."),
    ),
    "reclassify": Action(
        _("Reclassify"),
        forms.ReclassifyForm,
        _may("reclassify"),
        _run_reclassify,
        _("Complaint reclassified."),
    ),
}
URL_NAMES = {name: f"console:complaint_{name}" for name in ACTIONS}
URL_NAMES.update(
    plan_report="console:plan_report",
    plan_accept="console:plan_accept",
    plan_return="console:plan_return",
)


def _auto_id(name: str) -> str:
    return f"id_{name}_%s"


def _detail_context(request, complaint: Complaint, *, bound_name=None, bound_form=None) -> dict:
    user, now = request.user, timezone.now()
    _set_clocks(complaint, now)
    plans = list(complaint.plans.select_related("issued_by", "reported_by", "decided_by"))
    in_force = next((p for p in plans if p.state != Plan.State.ACCEPTED), None)
    report = (
        Report.objects.filter(complaint=complaint)
        .select_related("prepared_by", "submitted_by", "approved_by")
        .first()
    )
    situation = Situation(
        user=user,
        complaint=complaint,
        plan=in_force,
        latest=plans[0] if plans else None,
        handles=rules.handles(user, complaint),
        may=frozenset(rules.actions_for(user, complaint, plans=plans[::-1], report=report)),
    )
    action_forms = []
    for name, action in ACTIONS.items():
        if not action.shown(situation):
            continue
        if name == bound_name:
            form = bound_form
        else:
            form = action.form(complaint=complaint, user=user, auto_id=_auto_id(name))
        args = [complaint.pk, in_force.pk] if action.on_plan else [complaint.pk]
        action_forms.append(
            {
                "name": name,
                "label": action.label,
                "form": form,
                "url": reverse(URL_NAMES[name], args=args),
            }
        )
    measures = list(complaint.measures.select_related("owner", "done_by"))
    today = timezone.localdate(now)
    for measure in measures:
        measure.overdue = not measure.is_done and measure.due_on < today
        measure.may_mark_done = not measure.is_done and (
            measure.owner_id == user.pk or situation.handles
        )
    report_editable = report is None or report.state in (Report.State.DRAFT, Report.State.RETURNED)
    return {
        "complaint": complaint,
        "ticket": complaint.ticket,
        "now": now,
        "about_staff": list(complaint.about_staff.all()),
        "escalations": list(complaint.escalations.select_related("actor")),
        "plans": plans,
        "plan_in_force": in_force,
        "measures": measures,
        "report": report,
        "can_write_report": report_editable
        and (complaint.severity == Severity.MAJOR or report is not None)
        and complaint.state != State.CLOSED
        and rules.writes_report(user, complaint),
        "events": list(ticket_timeline(complaint.ticket)),
        "contacts": list(complaint.ticket.contacts.select_related("staff").order_by("-at", "-pk")),
        "action_forms": action_forms,
        "can_close": "close" in situation.may,
        "open_action": bound_name,
    }


def _refused(request, pk, err: DomainError, *, label, name=None, form=None):
    """The complaint's page again with the service's refusal: on the field it names when that
    form is on the page, else above it; with the service's status."""
    if err.status == 404:
        raise Http404
    # Re-read: nothing changed, unless by others.
    complaint = get_or_404(selectors.complaint_get, request.user, pk)
    context = _detail_context(request, complaint, bound_name=name, bound_form=form)
    shown = form is not None and any(a["form"] is form for a in context["action_forms"])
    if shown and err.field in form.fields and not form[err.field].is_hidden:
        form.add_error(err.field, err.message)
        context["error_messages"] = [_("Please correct the errors below.")]
    else:
        context["error_messages"] = [err.message]
    context["error_action"] = label
    return render(request, "complaints/detail.html", context, status=err.status)


@login_required
@require_GET
def complaint_detail(request, pk):
    complaint = get_or_404(selectors.complaint_get, request.user, pk)
    return render(request, "complaints/detail.html", _detail_context(request, complaint))


def _act(request, pk, name, plan_pk=None):
    action = ACTIONS[name]
    user = request.user
    complaint = get_or_404(selectors.complaint_get, user, pk)
    plan = None
    if plan_pk is not None:
        plan = complaint.plans.filter(pk=plan_pk).first()
        if plan is None:
            raise Http404
    form = action.form(request.POST, complaint=complaint, user=user, auto_id=_auto_id(name))
    if not form.is_valid():
        complaint = get_or_404(selectors.complaint_get, user, pk)
        context = _detail_context(request, complaint, bound_name=name, bound_form=form)
        context["error_action"] = action.label
        context["error_messages"] = [_("Please correct the errors below.")]
        return render(request, "complaints/detail.html", context, status=400)
    try:
        done = action.run(user, complaint, plan, form)
    except DomainError as err:
        return _refused(request, pk, err, label=action.label, name=name, form=form)
    messages.success(request, done or action.done)
    return _after_change(request, complaint)


def _action_view(name: str):
    @login_required
    @require_POST
    def view(request, pk, plan_pk=None):
        return _act(request, pk, name, plan_pk)

    view.__name__ = view.__qualname__ = f"complaint_{name}"
    return view


complaint_respond = _action_view("respond")
complaint_escalate = _action_view("escalate")
complaint_reclassify = _action_view("reclassify")
complaint_plan = _action_view("plan")
plan_report = _action_view("plan_report")
plan_accept = _action_view("plan_accept")
plan_return = _action_view("plan_return")
complaint_resolve = _action_view("resolve")
complaint_answer = _action_view("answer")
complaint_cause = _action_view("cause")
complaint_measure = _action_view("measure")


@login_required
@require_http_methods(["GET", "POST"])
def complaint_close(request, pk):
    """GET says what closing means and what is still missing; POST closes."""
    user = request.user
    complaint = get_or_404(selectors.complaint_get, user, pk)
    if request.method == "POST":
        try:
            handling.complaint_close(actor=user, complaint=complaint)
        except DomainError as err:
            return _refused(request, pk, err, label=_("Close the complaint"))
        messages.success(request, _("Complaint closed; the customer is told."))
        return redirect("console:complaint", pk=complaint.pk)
    if not rules.handles(user, complaint):
        return _denied(request)
    report = Report.objects.filter(complaint=complaint).first()
    checks = [
        (_("The customer was contacted with the outcome"), complaint.answered_at is not None),
        (
            _("The cause is analysed"),
            bool(complaint.cause_category and complaint.cause_analysis),
        ),
        (_("At least one preventive measure is set"), complaint.measures.exists()),
    ]
    if complaint.severity == Severity.MAJOR:
        checks.append(
            (
                _("The corrective action report is approved"),
                report is not None and report.state == Report.State.APPROVED,
            )
        )
    context = {"complaint": complaint, "checks": checks, "ready": all(ok for _l, ok in checks)}
    return render(request, "complaints/confirm_close.html", context)


# --- preventive measures (M20) ------------------------------------------------------------------


def _measures_page(request, *, status=200):
    user = request.user
    page = CappedPaginator(selectors.measures_of(user), PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    for measure in page:
        measure.overdue = not measure.is_done and measure.due_on < today
    context = {
        "page": page,
        "can_view_complaints": allowed(user, "complaint.view"),
    }
    return render(request, "complaints/measures.html", context, status=status)


@login_required
@require_GET
def measure_list(request):
    return _measures_page(request)


@login_required
@require_POST
def measure_done(request, pk):
    user = request.user
    measure = selectors.measures_of(user).filter(pk=pk).first()
    if measure is None:
        # Not the person's own: a handler of a complaint they see may mark it done too.
        measure = (
            PreventiveMeasure.objects.filter(
                pk=pk, complaint__in=selectors.complaints_for(user).values("pk")
            )
            .select_related("complaint")
            .first()
        )
    if measure is None:
        raise Http404
    form = forms.MeasureDoneForm(request.POST)
    form.is_valid()  # every field is optional
    note = form.cleaned_data.get("note", "")
    back_to_complaint = form.cleaned_data.get("next") == "complaint" and _visible(
        user, measure.complaint_id
    )
    try:
        prevention.measure_done(actor=user, measure=measure, note=note)
    except DomainError as err:
        if back_to_complaint:
            return _refused(request, measure.complaint_id, err, label=_("Mark done"))
        if err.status == 404:
            raise Http404 from None
        messages.error(request, err.message)
        return _measures_page(request, status=err.status)
    messages.success(request, _("Preventive measure done."))
    if back_to_complaint:
        return redirect("console:complaint", pk=measure.complaint_id)
    return redirect("console:measures")


# --- corrective action reports (M20) ------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def complaint_report(request, pk):
    """Write the report of a complaint (a draft, or one returned), save it or submit it."""
    user = request.user
    complaint = get_or_404(selectors.complaint_get, user, pk)
    if not rules.writes_report(user, complaint):
        return _denied(request)
    report = Report.objects.filter(complaint=complaint).first()
    locked = report is not None and report.state not in (Report.State.DRAFT, Report.State.RETURNED)
    if locked and request.method == "GET":
        messages.error(request, _("A submitted or approved report cannot be changed."))
        return redirect("console:report", pk=report.pk)
    form = forms.ReportForm(request.POST or None, initial=forms.ReportForm.initial_for(report))
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            submit = "submit" in request.POST
            try:
                # Saved and submitted together, or not at all: a refused submission leaves the
                # report as it was.
                with transaction.atomic():
                    report = prevention.report_save(
                        actor=user,
                        complaint=complaint,
                        title=form.cleaned_data["title"],
                        **form.sections(),
                    )
                    if submit:
                        report = prevention.report_submit(actor=user, report=report)
            except DomainError as err:
                status = _form_error(form, err)
            else:
                messages.success(
                    request,
                    _("Report submitted for approval.") if submit else _("Report saved."),
                )
                return redirect("console:report", pk=report.pk)
    context = {"form": form, "complaint": complaint, "report": report}
    return render(request, "complaints/report_form.html", context, status=status)


def _report_or_404(user, pk) -> CorrectiveActionReport:
    report = (
        selectors.reports_for(user)
        .select_related(
            "office",
            "complaint__ticket",
            "prepared_by",
            "submitted_by",
            "approved_by",
            "notice",
        )
        .filter(pk=pk)
        .first()
    )
    if report is None:
        raise Http404
    return report


def _report_context(user, report, *, return_form=None) -> dict:
    complaint = report.complaint
    visible = _visible(user, complaint.pk)
    editable = report.state in (Report.State.DRAFT, Report.State.RETURNED)
    may_write = visible and editable and rules.writes_report(user, complaint)
    return {
        "report": report,
        "complaint": complaint,
        "complaint_visible": visible,
        "sections": [
            (Report._meta.get_field(name).verbose_name, getattr(report, name))
            for name in Report.SECTIONS
        ],
        "can_edit": may_write and complaint.state != State.CLOSED,
        "can_submit": may_write,
        "can_decide": visible
        and report.state == Report.State.SUBMITTED
        and allowed(user, "report.approve")
        and user.pk not in (report.prepared_by_id, report.submitted_by_id),
        "return_form": return_form or forms.ReportReturnForm(),
    }


@login_required
@require_GET
def report_detail(request, pk):
    report = _report_or_404(request.user, pk)
    return render(request, "complaints/report_detail.html", _report_context(request.user, report))


def _report_refused(request, report, err: DomainError, *, return_form=None):
    if err.status == 404:
        raise Http404
    report = _report_or_404(request.user, report.pk)
    if return_form is not None and err.field in return_form.fields:
        return_form.add_error(err.field, err.message)
    else:
        messages.error(request, err.message)
    context = _report_context(request.user, report, return_form=return_form)
    return render(request, "complaints/report_detail.html", context, status=err.status)


@login_required
@require_POST
def report_submit(request, pk):
    report = _report_or_404(request.user, pk)
    try:
        prevention.report_submit(actor=request.user, report=report)
    except DomainError as err:
        return _report_refused(request, report, err)
    messages.success(request, _("Report submitted for approval."))
    return redirect("console:report", pk=report.pk)


@login_required
@require_POST
def report_approve(request, pk):
    report = _report_or_404(request.user, pk)
    try:
        report = prevention.report_approve(actor=request.user, report=report)
    except DomainError as err:
        return _report_refused(request, report, err)
    messages.success(
        request,
        _("Report %(number)s approved and announced to all staff.") % {"number": report.number},
    )
    return redirect("console:report", pk=report.pk)


@login_required
@require_POST
def report_return(request, pk):
    report = _report_or_404(request.user, pk)
    form = forms.ReportReturnForm(request.POST)
    form.is_valid()  # the reason is the service's to require
    try:
        prevention.report_return(
            actor=request.user, report=report, reason=form.cleaned_data.get("reason", "")
        )
    except DomainError as err:
        return _report_refused(request, report, err, return_form=form)
    messages.success(request, _("Report returned for changes."))
    return redirect("console:report", pk=report.pk)


@login_required
@require_GET
def report_register(request):
    """The register of approved reports: every member of staff reads it (M20)."""
    form = forms.RegisterFilterForm(request.GET or None)
    q, office, status = "", None, 200
    if form.is_bound and not form.is_valid():
        status = 400
    elif form.is_bound:
        q = form.cleaned_data["q"]
        office = form.cleaned_data["office"].pk if form.cleaned_data["office"] else None
    reports = selectors.register(request.user, q=q, office=office)
    page = CappedPaginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page}
    return render(request, "complaints/register.html", context, status=status)
