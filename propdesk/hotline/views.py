"""Console pages of the hotline (M02): intake with the screen pop, the call log, the duty roster."""

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from propdesk.core.errors import DomainError, Forbidden
from propdesk.core.forms import show_error
from propdesk.core.pagination import CappedPaginator
from propdesk.core.permissions import allowed
from propdesk.core.phones import try_normalize_phone
from propdesk.core.views import get_or_404
from propdesk.org.models import HotlineLine
from propdesk.tickets.models import Kind

from . import selectors, services
from .forms import (
    CallFilterForm,
    ComplaintForm,
    InquiryForm,
    LineForm,
    LookupForm,
    RequestForm,
    ShiftForm,
)
from .roster import coverage_summary

PAGE_SIZE = 50
COVERAGE_DAYS = 7


# --- intake and screen pop ------------------------------------------------------------------


# The three ways of logging a call, each with its form's prefix.
PREFIXES = {"inquiry": "inq", "request": "req", "complaint": "cmp"}


def _log_call(action, *, user, call, form, now):
    if action == "inquiry":
        return services.call_log_inquiry(actor=user, call=call, **form.service_kwargs(), now=now)
    if action == "request":
        return services.call_to_request(actor=user, call=call, **form.service_kwargs(), now=now)
    return services.call_to_complaint(actor=user, call=call, **form.service_kwargs(), now=now)


def _logged(request, action, form, logged):
    """Where the agent goes once the call is logged."""
    if action == "request":
        messages.success(
            request,
            _("The call is logged as request %(number)s.") % {"number": logged.ticket.number},
        )
        return redirect("console:ticket_detail", logged.ticket_id)
    if action == "complaint":
        messages.success(
            request,
            _("The call is recorded as complaint %(number)s.") % {"number": logged.ticket.number},
        )
        if request.user in form.cleaned_data["about_staff"]:
            # A complaint about the agent is not theirs to open (recusal): back to the hotline.
            return redirect("console:hotline")
        return redirect("console:complaint", logged.ticket.complaint.pk)
    messages.success(request, _("The call is logged."))
    return redirect("console:hotline")


@login_required
def hotline(request):
    """Type or receive a caller number, see who it is, and log the call in one step: as an
    answered inquiry, as a request, or as a complaint (M17), offered first on the complaint line."""
    user, now = request.user, timezone.now()
    call_id = request.POST.get("call") or request.GET.get("call")
    call = get_or_404(selectors.call_get, user, call_id) if call_id else None
    office_id = call.office_id if call else user.office_id
    action = request.POST.get("action") if request.method == "POST" else None
    if action not in PREFIXES:
        action = None

    number = (request.GET.get("number") or "").strip()
    if call and not number:
        number = call.caller_e164  # empty when the caller id was withheld
    lines = list(selectors.lines_for(user).filter(office_id=office_id)) if office_id else []
    by_kind = {ln.kind: ln for ln in lines}
    default_line = (
        call.line if call else by_kind.get(HotlineLine.Kind.SERVICE, lines[0] if lines else None)
    )
    kwargs = {"user": user, "office_id": office_id}
    # M24: "Offer" on a recognised caller's suggestion opens the request form with that service.
    offered = request.GET.get("item") if request.method == "GET" else None

    def initial(line):
        return {"caller_number": number, "line": line}

    intake_forms = {
        "inquiry": InquiryForm(
            request.POST if action == "inquiry" else None,
            prefix="inq",
            initial=initial(default_line),
            **kwargs,
        ),
        "request": RequestForm(
            request.POST if action == "request" else None,
            prefix="req",
            initial={
                **initial(default_line),
                **({"item": offered, "kind": Kind.SERVICE} if offered else {}),
            },
            **kwargs,
        ),
        "complaint": ComplaintForm(
            request.POST if action == "complaint" else None,
            prefix="cmp",
            initial=initial(
                call.line if call else by_kind.get(HotlineLine.Kind.COMPLAINT, default_line)
            ),
            **kwargs,
        ),
    }

    status = 200
    if action:
        form = intake_forms[action]
        number = (form.data.get(form.add_prefix("caller_number")) or number).strip()
        if form.is_valid():
            try:
                logged = _log_call(action, user=user, call=call, form=form, now=now)
            except DomainError as err:
                status = show_error(form, err)
            else:
                return _logged(request, action, form, logged)
        else:
            status = 400

    e164 = try_normalize_phone(number) if number else None
    customers = selectors.recognise(user, number, office_id=call.office_id if call else None)
    selectors.attach_opportunities(customers, now=now)
    if action:
        chosen = request.POST.get(f"{PREFIXES[action]}-customer")
    else:
        chosen = request.GET.get("customer") if offered else None
    if not chosen and len(customers) == 1:
        chosen = str(customers[0].pk)
    on_complaint_line = bool(call) and call.line.kind == HotlineLine.Kind.COMPLAINT
    can_log = allowed(user, "call.log")
    context = {
        "call": call,
        "number": number,
        "e164": e164,
        "number_invalid": bool(number) and not e164,
        "lookup_form": LookupForm(initial={"number": number}),
        "customers": customers,
        "chosen_customer": chosen or "",
        "inquiry_form": intake_forms["inquiry"],
        "request_form": intake_forms["request"],
        "complaint_form": intake_forms["complaint"],
        "action": action,
        # The form shown open: the one just tried, else the complaint on the complaint line.
        "open_form": action
        or ("request" if offered else "complaint" if on_complaint_line else "inquiry"),
        "on_complaint_line": on_complaint_line,
        "can_log": can_log,
        "can_file_complaint": can_log and allowed(user, "complaint.file"),
        "new_customer_url": reverse("console:customer_new")
        + "?"
        + urlencode({"phone": e164 or number}),
    }
    return render(request, "hotline/intake.html", context, status=status)


@login_required
def hotline_pop(request):
    """The screen pop, polled by the intake page: calls ringing or answered in the office."""
    calls = selectors.pop_calls(request.user, now=timezone.now())
    return render(request, "hotline/partials/pop.html", {"calls": calls})


# --- the call log -----------------------------------------------------------------------------


@login_required
def call_list(request):
    form = CallFilterForm(request.GET or None, user=request.user)
    calls = selectors.call_list(request.user, form.filters())
    page = CappedPaginator(calls, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "hotline/call_list.html",
        {"form": form, "page": page, "calls": page.object_list},
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


# --- the duty roster --------------------------------------------------------------------------


def _week_start(text: str | None, now: dt.datetime) -> dt.date:
    try:
        day = dt.date.fromisoformat(text) if text else timezone.localdate(now)
    except ValueError:
        day = timezone.localdate(now)
    return day - dt.timedelta(days=day.weekday())


def _roster_url(office, week: dt.date) -> str:
    return reverse("console:roster") + "?" + urlencode({"office": office.pk, "week": week})


@login_required
def roster(request):
    """The office's duty roster for a week, and its coverage of the next 7 days (M02)."""
    user, now = request.user, timezone.now()
    offices = selectors.offices_for(user)
    office_id = request.POST.get("office") or request.GET.get("office") or user.office_id
    office = get_or_404(selectors.office_get, user, office_id) if office_id else offices.first()
    if office is None:
        raise Http404
    week = _week_start(request.POST.get("week") or request.GET.get("week"), now)
    week_from = timezone.make_aware(dt.datetime.combine(week, dt.time.min))
    week_to = week_from + dt.timedelta(days=7)
    action = request.POST.get("action") if request.method == "POST" else None

    shift_form = ShiftForm(request.POST if action == "add_shift" else None, office=office)
    line_form = LineForm(request.POST if action == "set_line" else None)
    status = 200
    if action in ("add_shift", "set_line"):
        form = shift_form if action == "add_shift" else line_form
        if form.is_valid():
            try:
                if action == "add_shift":
                    services.shift_add(actor=user, **form.cleaned_data, now=now)
                    messages.success(request, _("Shift added."))
                else:
                    services.line_set(actor=user, office=office, **form.cleaned_data, now=now)
                    messages.success(request, _("Line number saved."))
            except DomainError as err:
                status = show_error(form, err)
            else:
                return redirect(_roster_url(office, week))
        else:
            status = 400

    coverage = coverage_summary(office, now, now + dt.timedelta(days=COVERAGE_DAYS))
    context = {
        "office": office,
        "offices": offices if user.is_company_role else None,
        "week": week,
        "days": [week + dt.timedelta(days=i) for i in range(7)],
        "prev_week": week - dt.timedelta(days=7),
        "next_week": week + dt.timedelta(days=7),
        "lines": selectors.roster_lines(office, start=week_from, end=week_to),
        "coverage": coverage,
        "missing_kinds": [HotlineLine.Kind(k).label for k in coverage.missing_kinds],
        "coverage_days": COVERAGE_DAYS,
        "can_edit": allowed(user, "roster.edit", office),
        "shift_form": shift_form,
        "line_form": line_form,
        "kinds": HotlineLine.Kind.choices,
    }
    return render(request, "hotline/roster.html", context, status=status)


@login_required
@require_POST
def shift_delete(request, pk):
    shift = get_or_404(selectors.shift_get, request.user, pk)
    office, week = shift.line.office, _week_start(request.POST.get("week"), shift.starts_at)
    try:
        services.shift_remove(actor=request.user, shift=shift)
    except Forbidden:
        raise PermissionDenied from None
    messages.success(request, _("Shift removed."))
    return redirect(_roster_url(office, week))
