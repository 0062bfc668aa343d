"""Corrective action reports (M20): writing one, submitting it, approving or returning it,
and the register of approved reports that every member of staff reads."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from propdesk.core.errors import DomainError
from propdesk.core.forms import rendered_version
from propdesk.core.pagination import CappedPaginator
from propdesk.core.permissions import allowed
from propdesk.core.views import get_or_404

from .. import forms, rules, selectors
from ..models import CorrectiveActionReport
from ..services import prevention
from ._common import PAGE_SIZE, Report, State, _denied, _form_error, _visible


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
        "return_form": return_form or forms.ReportReturnForm(initial={"version": report.version}),
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
        version = rendered_version(forms.RecordVersionForm(request.POST))
        prevention.report_submit(actor=request.user, report=report, expected_version=version)
    except DomainError as err:
        return _report_refused(request, report, err)
    messages.success(request, _("Report submitted for approval."))
    return redirect("console:report", pk=report.pk)


@login_required
@require_POST
def report_approve(request, pk):
    report = _report_or_404(request.user, pk)
    try:
        version = rendered_version(forms.RecordVersionForm(request.POST))
        report = prevention.report_approve(
            actor=request.user, report=report, expected_version=version
        )
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
            actor=request.user,
            report=report,
            reason=form.cleaned_data.get("reason", ""),
            expected_version=rendered_version(form),
        )
    except DomainError as err:
        return _report_refused(request, report, err, return_form=form)
    messages.success(request, _("Report returned for changes."))
    return redirect("console:report", pk=report.pk)


@login_required
@require_GET
def report_register(request):
    """The register of approved reports: every member of staff reads it (M20)."""
    form = forms.RegisterFilterForm(request.GET or None, user=request.user)
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
