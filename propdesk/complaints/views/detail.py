"""A complaint's page, with the forms of the actions the person may take now, the views
those forms post to, and closing the complaint."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from propdesk.core.errors import DomainError
from propdesk.core.params import parse_id
from propdesk.core.views import get_or_404
from propdesk.tickets.selectors import ticket_timeline

from .. import lifecycle, rules, selectors
from ..models import Complaint
from ..services import handling
from ._common import Plan, Report, Severity, State, _after_change
from .actions import ACTIONS, URL_NAMES, Situation, _auto_id
from .clocks import _set_clocks


def _posted_version(request) -> int | None:
    """The complaint's version the form was rendered with (its hidden ``version``); none sent:
    the change goes through whatever happened meanwhile."""
    return parse_id(request.POST.get("version"))


def _detail_context(
    request, complaint: Complaint, *, bound_name=None, bound_form=None, bound_version=None
) -> dict:
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
        may=frozenset(lifecycle.actions_for(user, complaint, plans=plans[::-1], report=report)),
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
        # The version the form was rendered with stays with it when it comes back with errors.
        version = bound_version if name == bound_name and bound_version else complaint.version
        action_forms.append(
            {
                "name": name,
                "label": action.label,
                "form": form,
                "url": reverse(URL_NAMES[name], args=args),
                "version": version,
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
        context = _detail_context(
            request,
            complaint,
            bound_name=name,
            bound_form=form,
            bound_version=_posted_version(request),
        )
        context["error_action"] = action.label
        context["error_messages"] = [_("Please correct the errors below.")]
        return render(request, "complaints/detail.html", context, status=400)
    try:
        done = action.run(user, complaint, plan, form, _posted_version(request))
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
            handling.complaint_close(
                actor=user, complaint=complaint, expected_version=_posted_version(request)
            )
        except DomainError as err:
            return _refused(request, pk, err, label=_("Close the complaint"))
        messages.success(request, _("Complaint closed; the customer is told."))
        return redirect("console:complaint", pk=complaint.pk)
    try:  # refused at once, as closing would be: not theirs at its level, or closed already
        lifecycle.COMPLAINTS.check(complaint, "close", actor=user)
    except DomainError as err:
        return _refused(request, pk, err, label=_("Close the complaint"))
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
