"""Console pages of the hotline (M02): intake with the screen pop, the call log, the duty roster."""

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from propdesk.core.errors import DomainError, Forbidden, NotFound
from propdesk.core.forms import show_error
from propdesk.core.pagination import CappedPaginator
from propdesk.core.permissions import allowed
from propdesk.core.phones import try_normalize_phone
from propdesk.core.views import get_or_404
from propdesk.customers import pickers
from propdesk.customers import services as customer_services
from propdesk.org.models import HotlineLine, User
from propdesk.org.pickers import OfficePickForm, office_named
from propdesk.tickets import lifecycle
from propdesk.tickets import services as tickets
from propdesk.tickets.models import Channel, Kind, Quote, Status

from . import selectors, services
from .forms import (
    INTAKE_KINDS,
    AnswerStepForm,
    CallFilterForm,
    CallIntakeForm,
    ConfirmStepForm,
    DispatchStepForm,
    FeeStepForm,
    LineForm,
    NewCallerForm,
    ShiftForm,
    building_choices,
    entrance_choices,
    room_choices,
)
from .models import Call
from .roster import coverage_summary

PAGE_SIZE = 50
COVERAGE_DAYS = 7


# --- the call screen: intake with the screen pop ----------------------------------------------


def _htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _office_of(call, user):
    return call.office_id if call else user.office_id


def _call_from(request, user):
    call_id = request.POST.get("call") or request.GET.get("call")
    return get_or_404(selectors.call_get, user, call_id) if call_id else None


def _intake_form(request, *, user, call, number, office_id, data=None, offered=None, chosen=None):
    lines = list(selectors.lines_for(user).filter(office_id=office_id)) if office_id else []
    by_kind = {ln.kind: ln for ln in lines}
    default_line = by_kind.get(HotlineLine.Kind.SERVICE, lines[0] if lines else None)
    on_complaint_line = bool(call) and call.line.kind == HotlineLine.Kind.COMPLAINT
    can_file_complaint = allowed(user, "complaint.file")
    kind = Kind.INQUIRY
    if offered:
        kind = Kind.SERVICE
    elif on_complaint_line and can_file_complaint:
        kind = Kind.COMPLAINT
    initial = {
        "kind": kind,
        "caller_number": number,
        "line": call.line if call else default_line,
        "customer": chosen,
        **({"item": offered} if offered else {}),
    }
    return CallIntakeForm(
        data,
        initial=initial,
        user=user,
        office_id=office_id,
        can_file_complaint=can_file_complaint,
    )


def _screen_context(request, *, user, call, number, now, form=None, new_customer=None, chosen=None):
    """What the call screen shows: the call, the caller's card, and the intake or the steps."""
    office_id = _office_of(call, user)
    offered = request.GET.get("item") if request.method == "GET" else None
    e164 = try_normalize_phone(number) if number else None
    customers = _card_customers(user, call, number, chosen=chosen, now=now)
    if form is not None:
        picked = form["customer"].value()
    elif chosen is not None:
        picked = chosen.pk
    else:
        picked = request.GET.get("customer") if offered else None
    if not picked and len(customers) == 1:
        picked = customers[0].pk
    can_log = allowed(user, "call.log")
    if form is None:
        form = _intake_form(
            request,
            user=user,
            call=call,
            number=number,
            office_id=office_id,
            offered=offered,
            chosen=picked,
        )
    new_office = office_id
    if new_customer is None and can_log and allowed(user, "customer.edit") and new_office:
        new_customer = NewCallerForm(
            initial={"phones": e164 or number}, user=user, office_id=new_office
        )
    context = {
        "call": call,
        "number": number,
        "e164": e164,
        "number_invalid": bool(number) and not e164,
        "customers": customers,
        "chosen_customer": str(picked or ""),
        "form": form,
        "new_customer_form": new_customer,
        # An unknown caller's new-customer form opens on the call without asking.
        "new_customer_open": bool(new_customer is not None and new_customer.is_bound)
        or (bool(call) and not customers and bool(e164)),
        "on_complaint_line": bool(call) and call.line.kind == HotlineLine.Kind.COMPLAINT,
        "can_log": can_log,
        "can_file_complaint": can_log and allowed(user, "complaint.file"),
        "new_customer_url": reverse("console:customer_new")
        + "?"
        + urlencode({"phone": e164 or number}),
        "keys": KIND_KEYS,
    }
    if call and call.outcome:
        context.update(_steps_context(user, call, now=now))
    return context


def _card_customers(user, call, number, *, chosen, now) -> list:
    """The caller's card: the customers the number names (and ``chosen``, named otherwise),
    each with households, open requests, recent contacts and services worth offering."""
    customers = selectors.recognise(user, number, office_id=call.office_id if call else None)
    if chosen and all(c.pk != chosen.pk for c in customers):
        customers = [*selectors.customers_with_context(user, [chosen.pk]), *customers]
    selectors.attach_opportunities(customers, now=now)
    selectors.attach_recent_contacts(customers, user)
    return customers


def _with_card(request, response, call, *, now):
    """``response`` (the call's steps) with the caller's card read again and swapped in out of
    band: the request the call just filed, or its new status, shows on the card at once."""
    number = call.caller_e164 or request.POST.get("caller_number", "").strip()
    chosen = call.customer if call.customer_id else None
    e164 = try_normalize_phone(number) if number else None
    context = {
        "oob": True,
        "call": call,
        "e164": e164,
        "customers": _card_customers(request.user, call, number, chosen=chosen, now=now),
        "can_log": allowed(request.user, "call.log"),
        "new_customer_url": reverse("console:customer_new") + "?" + urlencode({"phone": number}),
    }
    response.content += render_to_string(
        "hotline/partials/caller_card.html", context, request=request
    ).encode(response.charset)
    return response


# The intake switch's shortcuts: Alt and the digit.
KIND_KEYS = {kind.value: str(i) for i, kind in enumerate(INTAKE_KINDS, 1)}


def _number_of(request, call) -> str:
    number = (request.POST.get("number") or request.GET.get("number") or "").strip()
    if call and not number:
        number = call.caller_e164  # empty when the caller id was withheld
    return number


@login_required
def hotline(request):
    """The call screen: type or receive a caller number, see who it is, and log the call in one
    form whose switch says what it is about (an inquiry answered, a request of any kind, or a
    complaint, M17, first on the complaint line); a request's next steps (confirm, fee,
    dispatch) follow on the same screen."""
    user, now = request.user, timezone.now()
    call = _call_from(request, user)
    number = _number_of(request, call)
    if request.method != "POST":
        context = _screen_context(request, user=user, call=call, number=number, now=now)
        return render(request, "hotline/intake.html", context)

    office_id = _office_of(call, user)
    form = _intake_form(
        request, user=user, call=call, number=number, office_id=office_id, data=request.POST
    )
    number = (request.POST.get("caller_number") or number).strip()
    status = 400
    if form.is_valid():
        try:
            call = _log_call(user=user, call=call, form=form, now=now)
        except DomainError as err:
            status = show_error(form, err)
        else:
            return _logged(request, call, now=now)
    context = _screen_context(request, user=user, call=call, number=number, now=now, form=form)
    if _htmx(request):
        return render(request, "hotline/partials/intake_form.html", context, status=status)
    return render(request, "hotline/intake.html", context, status=status)


def _log_call(*, user, call, form, now):
    kind = form.cleaned_data["kind"]
    if kind == Kind.INQUIRY:
        log = services.call_log_inquiry
    elif kind == Kind.COMPLAINT:
        log = services.call_to_complaint
    else:
        log = services.call_to_request
    return log(actor=user, call=call, **form.service_kwargs(), now=now)


def _logged(request, call, *, now):
    """The call is logged: its next steps on the same screen (HTMX), or the screen again."""
    # A complaint about the agent is not theirs to follow (recusal): nor is its call.
    recused = not selectors.calls_for(request.user).filter(pk=call.pk).exists()
    if _htmx(request):
        context = {"call": call, **_steps_context(request.user, call, now=now)}
        if recused:
            context.update(ticket=None, step=None, progress=[], notice=RECUSED)
        response = render(request, "hotline/partials/steps.html", context)
        return _with_card(request, response, call, now=now)
    if recused:
        messages.success(request, RECUSED)
        return redirect("console:hotline")
    if call.ticket_id and call.ticket.kind == Kind.COMPLAINT:
        text = _("The call is recorded as complaint %(number)s.")
    elif call.ticket_id and call.outcome == Call.Outcome.REQUEST_CREATED:
        text = _("The call is logged as request %(number)s.")
    else:
        text = _("The call is logged.")
    messages.success(request, text % {"number": call.ticket.number if call.ticket_id else ""})
    return redirect(_call_url(call))


RECUSED = _("The complaint is recorded. It names you, so others handle it from here.")


def _call_url(call) -> str:
    return reverse("console:hotline") + "?" + urlencode({"call": call.pk})


# --- the steps after the request is created: confirm, the fee, dispatch ----------------------


STEP_FORMS = {
    "confirm": ConfirmStepForm,
    "answer": AnswerStepForm,
    "fee": FeeStepForm,
    "dispatch": DispatchStepForm,
}


def next_step(user, ticket) -> str | None:
    """The request's next step on the call screen, or None when the call's work is done."""
    if ticket is None or ticket.kind == Kind.COMPLAINT:
        return None
    actions = set(lifecycle.actions_for(user, ticket))
    if ticket.status == Status.NEW:
        if "answer" in actions:
            return "answer"
        return "confirm" if "confirm" in actions else None
    if ticket.status in (Status.CONFIRMED, Status.QUOTED) and ticket.awaits_fee():
        return "fee" if actions & {"quote", "accept_quote"} else None
    return "dispatch" if "dispatch" in actions else None


def _step_form(step, user, ticket, *, now, data=None):
    initial = {"version": ticket.version}
    kwargs = {}
    if step == "confirm":
        initial["confirmation"] = ticket.description
    elif step == "fee":
        quote = ticket.quotes_sent[0] if ticket.quotes_sent else None
        initial.update(
            quantity=1,
            unit_price=ticket.item.price if ticket.item_id else None,
            answered_by_name=ticket.customer.name,
            quote=quote,
        )
    elif step == "dispatch":
        kwargs["technicians"] = User.objects.technicians_of(ticket.office_id)
    return STEP_FORMS[step](data, initial=initial, **kwargs)


DONE_STATUSES = {Status.DISPATCHED, Status.IN_PROGRESS, Status.COMPLETED, Status.CLOSED}


def _progress(ticket, step) -> list[tuple[str, str]]:
    """The steps of the request on the call, each (label, state): done, now, to do, skipped."""

    def state(name, done):
        return "now" if step == name else "done" if done else "todo"

    steps = [(_("Request"), "done")]
    if ticket.kind in lifecycle.ANSWERABLE_KINDS:
        return [*steps, (_("Answer"), state("answer", ticket.status == Status.CLOSED))]
    steps.append((_("Confirm"), state("confirm", ticket.status != Status.NEW)))
    if ticket.needs_fee_acceptance:
        fee = ticket.status in (Status.ACCEPTED, *DONE_STATUSES)
        steps.append((_("Fee"), state("fee", fee)))
    else:
        steps.append((_("Fee"), "skipped"))
    steps.append((_("Dispatch"), state("dispatch", ticket.status in DONE_STATUSES)))
    return steps


def _steps_context(user, call, *, now, step_form=None) -> dict:
    ticket = selectors.call_ticket(user, call)
    step = next_step(user, ticket)
    if step_form is None and step:
        step_form = _step_form(step, user, ticket, now=now)
    context = {
        "ticket": ticket,
        "step": step,
        "step_form": step_form,
        "needs_fee": bool(ticket and ticket.needs_fee_acceptance),
        "pending_quote": ticket.quotes_sent[0] if ticket and ticket.quotes_sent else None,
        "progress": _progress(ticket, step) if ticket and ticket.kind != Kind.COMPLAINT else [],
    }
    if step == "dispatch":
        context["technicians"] = selectors.technicians_for_dispatch(ticket.office_id, now=now)
    return context


def _run_step(step, *, user, ticket, form, now):
    d = form.cleaned_data
    version = d["version"]
    if step == "confirm":
        tickets.ticket_confirm(
            actor=user,
            ticket=ticket,
            confirmation=d["confirmation"],
            channel=Channel.HOTLINE,
            expected_version=version,
            now=now,
        )
    elif step == "answer":
        tickets.ticket_answer(
            actor=user,
            ticket=ticket,
            answer=d["answer"],
            channel=Channel.HOTLINE,
            expected_version=version,
            now=now,
        )
    elif step == "fee":
        with transaction.atomic():
            quote = ticket.quotes_sent[0] if ticket.status == Status.QUOTED else None
            if quote is None:
                line = {"item": ticket.item, "quantity": d["quantity"] or 1}
                if d["unit_price"] is not None:
                    line["unit_price"] = d["unit_price"]
                quote, _token = tickets.quote_create(
                    actor=user, ticket=ticket, lines=[line], expected_version=version, now=now
                )
                version = None  # the quote raised it; the answer belongs with it
            tickets.quote_record_answer(
                actor=user,
                quote=quote,
                accepted=d["accepted"],
                via=Quote.Via.PHONE,
                answered_by_name=d["answered_by_name"],
                expected_version=version,
                # Answered once the fee was read out: after the quote's own timestamp.
                now=max(now, timezone.now()),
            )
    elif step == "dispatch":
        tickets.ticket_dispatch(
            actor=user,
            ticket=ticket,
            technician=d["technician"],
            note=d["note"],
            expected_version=version,
            now=now,
        )


DECLINED = _("The customer declined the fee. Read it out again, or cancel on the request's page.")


@login_required
@require_POST
def call_step(request, pk, step):
    """One step of the request the call became, on the call screen: the step runs only when it
    is the request's next one; the steps are shown again, with the one after it."""
    user, now = request.user, timezone.now()
    if step not in STEP_FORMS:
        raise Http404
    call = get_or_404(selectors.call_get, user, pk)
    ticket = selectors.call_ticket(user, call)
    if ticket is None:
        raise Http404
    status, form, notice, declined = 200, None, None, False
    if next_step(user, ticket) != step:
        status = 409
        notice = _("This step is already done, or not due yet: here is where the request is.")
    else:
        form = _step_form(step, user, ticket, now=now, data=request.POST)
        if form.is_valid():
            try:
                _run_step(step, user=user, ticket=ticket, form=form, now=now)
            except DomainError as err:
                status = show_error(form, err)
            else:
                declined = step == "fee" and not form.cleaned_data["accepted"]
                form = None
        else:
            status = 400
    if status == 200 and not _htmx(request):
        if declined:
            messages.info(request, DECLINED)
        return redirect(_call_url(call))
    context = {"call": call, **_steps_context(user, call, now=now, step_form=form)}
    if form is not None and context["step"] != step:
        context["step_form"] = None  # the request moved on meanwhile
    context["notice"] = DECLINED if declined else notice
    if _htmx(request):
        response = render(request, "hotline/partials/steps.html", context, status=status)
        # A step done moves the request on: the card shows its new status.
        return _with_card(request, response, call, now=now) if status == 200 else response
    full = _screen_context(request, user=user, call=call, number=call.caller_e164, now=now)
    full.update(context)
    return render(request, "hotline/intake.html", full, status=status)


# --- an unknown caller becomes a customer on the call -----------------------------------------


@login_required
@require_POST
def new_caller(request):
    """Save the caller as a new customer, on the call: the call stays open, and the card shows
    the new customer with the intake ready for them."""
    user, now = request.user, timezone.now()
    call = _call_from(request, user)
    number = _number_of(request, call)
    office_id = _office_of(call, user)
    form = NewCallerForm(request.POST, user=user, office_id=office_id)
    status, customer = 400, None
    if form.is_valid():
        d = form.cleaned_data
        try:
            unit = pickers.unit_get(user, d["room"])
            office = unit.building.community.office
            if call and office.pk != call.office_id:
                raise NotFound(field="room")
            customer = customer_services.customer_create(
                actor=user,
                office=office,
                name=d["name"],
                kind=d["kind"],
                phones=d["phones"],
                unit=unit,
                now=now,
            )
        except DomainError as err:
            status = show_error(form, err, missing_is_bad_input=True)
        else:
            status, form = 200, None
    if customer is not None and not number:
        number = customer.phones.order_by("-is_primary", "pk").first().number
    context = _screen_context(
        request,
        user=user,
        call=call,
        number=number,
        now=now,
        new_customer=form,
        chosen=customer,
    )
    context["created_customer"] = customer
    if _htmx(request):
        return render(request, "hotline/partials/screen.html", context, status=status)
    return render(request, "hotline/intake.html", context, status=status)


PICKER_LEVELS = ("buildings", "entrances", "rooms")


@login_required
def address_picker(request, level):
    """The options of one level of the address pickers, for the one above it (HTMX), with the
    levels below it emptied (or, for a single entrance, its rooms) out of band."""
    if level not in PICKER_LEVELS:
        raise Http404
    user = request.user
    community = request.GET.get("community")
    building = request.GET.get("building")
    entrance = request.GET.get("entrance")
    context = {"level": level}
    if level == "buildings":
        context["options"] = building_choices(user, community)
    elif level == "entrances":
        options = entrance_choices(user, building)
        if len(options) == 2:  # one entrance only: chosen, and its rooms shown
            entrance = options[1][0]
            context["selected"] = entrance
            context["rooms"] = room_choices(user, building, entrance)
        context["options"] = options
    else:
        context["options"] = room_choices(user, building, entrance)
    return render(request, "hotline/partials/picker_options.html", context)


@login_required
def hotline_pop(request):
    """The screen pop, polled by the call screen: calls ringing or answered in the office."""
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
    # The office by its code (a company's picker) or id (links); one's own, or the first.
    named = request.POST.get("office") or request.GET.get("office")
    if named:
        office = office_named(user, named)
    elif user.office_id:
        office = get_or_404(selectors.office_get, user, user.office_id)
    else:
        office = selectors.offices_for(user).order_by("code").first()
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
        "office_form": OfficePickForm(user=user, office=office) if user.is_company_role else None,
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
