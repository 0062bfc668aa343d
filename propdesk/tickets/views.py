"""Console pages for requests, the technician's work order, and the customer's quote link.

Thin views: selector → form → service → redirect (PRG), or re-render with the service's message
and its status (400, 403, 404, 409) when the service refuses.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import prefetch_related_objects
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from propdesk.core.errors import Conflict, DomainError
from propdesk.core.forms import show_error
from propdesk.core.pagination import CappedPaginator
from propdesk.core.params import parse_id
from propdesk.core.permissions import allowed
from propdesk.core.scoping import get_scoped
from propdesk.core.views import get_or_404
from propdesk.customers.models import Customer
from propdesk.customers.selectors import customer_list

from . import forms, lifecycle, selectors, services
from .models import Kind, Quote
from .pages import page_extras

PAGE_TEMPLATES = {"detail": "tickets/detail.html", "workorder": "tickets/workorder.html"}
CUSTOMER_SEARCH_LIMIT = 20


# --- the request list --------------------------------------------------------------------------


@login_required
def ticket_list(request):
    now = timezone.now()
    form = forms.TicketFilterForm(request.GET or None, user=request.user)
    page, status = None, 200
    if form.is_bound and not form.is_valid():
        status = 400
    else:
        filters = form.filters() if form.is_bound else selectors.TicketFilters()
        per_page = (form.cleaned_data.get("per_page") if form.is_bound else None) or 25
        qs = selectors.ticket_list(request.user, filters, now=now)
        page = CappedPaginator(qs, per_page).get_page(request.GET.get("page"))
        for ticket in page:
            ticket.overdue_now = ticket.is_overdue(now)
            ticket.late_now = not ticket.overdue_now and ticket.missed_deadline(now)
        # A complaint links to its complaint page: the page's complaints in one query.
        prefetch_related_objects([t for t in page if t.kind == Kind.COMPLAINT], "complaint")
    context = {"form": form, "page": page, "now": now}
    if request.htmx:
        # htmx swaps only successful responses; the partial carries the errors itself.
        return render(request, "tickets/partials/ticket_table.html", context)
    return render(request, "tickets/list.html", context, status=status)


# --- a new request -----------------------------------------------------------------------------


def _customer_search(user, text: str):
    """Customers the user may see, by phone number, the start of the name, or address."""
    if not text.strip():
        return []
    return list(customer_list(user, text)[:CUSTOMER_SEARCH_LIMIT])


@login_required
def ticket_customer_search(request):
    q = request.GET.get("q", "")
    context = {"customers": _customer_search(request.user, q), "q": q.strip()}
    return render(request, "tickets/partials/customer_results.html", context)


@login_required
def ticket_new(request):
    if not allowed(request.user, "ticket.create"):
        # A technician reports through the service center; say so rather than show a form.
        message = _("Your role may not do this.")
        return render(request, "console/denied.html", {"message": message}, status=403)
    customer_id = request.POST.get("customer") or request.GET.get("customer")
    if not customer_id:
        q = request.GET.get("q", "")
        context = {"customers": _customer_search(request.user, q), "q": q.strip()}
        return render(request, "tickets/new.html", context)
    customer = get_or_404(get_scoped, Customer.objects.all(), request.user, pk=customer_id)
    form = forms.TicketCreateForm(
        request.POST or None,
        user=request.user,
        customer=customer,
        initial={"item": request.GET.get("item")},  # "Offer" links on the customer page
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                ticket = services.ticket_create(
                    actor=request.user,
                    customer=data["customer"],
                    household=data["household"],
                    kind=data["kind"],
                    channel=data["channel"],
                    item=data["item"],
                    description=data["description"],
                    requested_deadline=data["requested_deadline"],
                    priority=data["priority"],
                    idempotency_key=data["idempotency_key"] or None,
                )
            except DomainError as err:
                status = show_error(form, err)
            else:
                messages.success(
                    request, _("Request %(number)s received.") % {"number": ticket.number}
                )
                return redirect("console:ticket_detail", pk=ticket.pk)
        else:
            status = 400
    context = {"form": form, "customer": customer}
    return render(request, "tickets/new.html", context, status=status)


# --- actions on a request ----------------------------------------------------------------------


def _pending_quote(ticket):
    quote = ticket.quotes.filter(state=Quote.State.SENT).first()
    if quote is None:
        raise Conflict(
            _("There is no quote waiting for the customer's answer."), code="no_pending_quote"
        )
    return quote


def _run_confirm(request, ticket, form):
    d = form.cleaned_data
    services.ticket_confirm(
        actor=request.user,
        ticket=ticket,
        confirmation=d["confirmation"],
        channel=d["channel"],
        expected_version=d["version"],
    )


def _run_answer(request, ticket, form):
    d = form.cleaned_data
    services.ticket_answer(
        actor=request.user,
        ticket=ticket,
        answer=d["answer"],
        channel=d["channel"],
        expected_version=d["version"],
    )


def _run_decline(request, ticket, form):
    d = form.cleaned_data
    services.ticket_decline(
        actor=request.user,
        ticket=ticket,
        explanation=d["explanation"],
        channel=d["channel"],
        expected_version=d["version"],
    )


def _run_quote(request, ticket, form):
    d = form.cleaned_data
    quote, token = services.quote_create(
        actor=request.user, ticket=ticket, lines=form.line_dicts(), expected_version=d["version"]
    )
    # Only the hash is stored: this is the one and only time anyone sees the link.
    messages.info(
        request,
        _(
            "Send the customer this one-time link to see and answer the fee (valid until %(until)s): %(url)s"
        )
        % {
            "url": selectors.quote_url(request, token),
            "until": timezone.localtime(quote.expires_at).strftime("%Y-%m-%d %H:%M"),
        },
    )


def _run_quote_answer(request, ticket, form):
    d = form.cleaned_data
    services.quote_record_answer(
        actor=request.user,
        quote=_pending_quote(ticket),
        accepted=d["accepted"],
        via=d["via"],
        answered_by_name=d["answered_by_name"],
        answered_at=d["answered_at"],
        expected_version=d.get("version"),
    )


def _run_dispatch(request, ticket, form):
    d = form.cleaned_data
    services.ticket_dispatch(
        actor=request.user,
        ticket=ticket,
        technician=d["technician"],
        note=d["note"],
        expected_version=d["version"],
    )


def _run_transfer(request, ticket, form):
    d = form.cleaned_data
    services.ticket_transfer(
        actor=request.user,
        ticket=ticket,
        technician=d["technician"],
        reason=d["reason"],
        expected_version=d["version"],
    )


def _run_hand_back(request, ticket, form):
    d = form.cleaned_data
    services.ticket_hand_back(
        actor=request.user, ticket=ticket, reason=d["reason"], expected_version=d["version"]
    )


def _run_start(request, ticket, form):
    d = form.cleaned_data
    services.ticket_start(actor=request.user, ticket=ticket, expected_version=d["version"])


def _run_tick_step(request, ticket, form):
    d = form.cleaned_data
    services.checklist_tick(
        actor=request.user,
        ticket=ticket,
        step_id=d["step"],
        note=d["note"],
        photo=d["photo"],
        expected_version=d.get("version"),
    )


def _run_extend(request, ticket, form):
    d = form.cleaned_data
    services.ticket_extend(
        actor=request.user,
        ticket=ticket,
        new_due_at=d["new_due_at"],
        reason=d["reason"],
        customer_agreed=d["customer_agreed"],
        contact_summary=d["contact_summary"],
        channel=d["channel"],
        expected_version=d["version"],
    )


def _run_propose_extension(request, ticket, form):
    d = form.cleaned_data
    services.extension_propose(
        actor=request.user,
        ticket=ticket,
        new_due_at=d["new_due_at"],
        reason=d["reason"],
        expected_version=d["version"],
    )


def _run_complete(request, ticket, form):
    d = form.cleaned_data
    services.ticket_complete(
        actor=request.user,
        ticket=ticket,
        work_summary=d["work_summary"],
        final_charge=d["final_charge"],
        expected_version=d["version"],
    )


def _run_satisfaction(request, ticket, form):
    d = form.cleaned_data
    services.ticket_customer_confirm(
        actor=request.user,
        ticket=ticket,
        satisfied=d["satisfied"],
        comment=d["comment"],
        channel=d["channel"],
        expected_version=d["version"],
    )


def _run_rework(request, ticket, form):
    d = form.cleaned_data
    rework = services.rework_open(
        actor=request.user,
        original=ticket,
        complaint=d["complaint"],
        source=d["source"],
        complained_at=d["complained_at"],
        technician=d["technician"],
    )
    if rework.assignee_id:
        text = _("Rework %(number)s is opened and dispatched to %(technician)s, due by %(due)s.")
    else:
        text = _("Rework %(number)s is opened, due by %(due)s: dispatch it now.")
    messages.info(
        request,
        text
        % {
            "number": rework.number,
            "technician": rework.assignee.display_name if rework.assignee_id else "",
            "due": timezone.localtime(rework.due_at).strftime("%Y-%m-%d %H:%M"),
        },
    )


def _run_cancel(request, ticket, form):
    d = form.cleaned_data
    services.ticket_cancel(
        actor=request.user, ticket=ticket, reason=d["reason"], expected_version=d["version"]
    )


def _run_contact(request, ticket, form):
    d = form.cleaned_data
    services.contact_record(
        actor=request.user,
        customer=ticket.customer,
        ticket=ticket,
        summary=d["summary"],
        channel=d["channel"],
        direction=d["direction"],
        stage=d["stage"] or None,
    )


@dataclass(frozen=True)
class Action:
    label: str
    form: type
    steps: frozenset  # the lifecycle actions that offer this form
    run: Callable
    done: str


def _a(label, form, steps, run, done, **kw):
    return Action(label, form, frozenset(steps), run, done, **kw)


# The console's actions, in the order the panel shows them.
ACTIONS: dict[str, Action] = {
    "confirm": _a(
        _("Confirm with the customer"),
        forms.ConfirmForm,
        ["confirm"],
        _run_confirm,
        _("Confirmed with the customer."),
    ),
    "answer": _a(
        _("Answer (closes it)"),
        forms.AnswerForm,
        ["answer"],
        _run_answer,
        _("Answer recorded; the request is closed."),
    ),
    "quote": _a(
        _("Show the fee (quote)"),
        forms.QuoteForm,
        ["quote"],
        _run_quote,
        _("Quote recorded."),
    ),
    "quote_answer": _a(
        _("Record the customer's answer to the fee"),
        forms.QuoteAnswerForm,
        ["accept_quote", "reject_quote"],
        _run_quote_answer,
        _("The customer's answer is recorded."),
    ),
    "dispatch": _a(
        _("Dispatch to a technician"),
        forms.DispatchForm,
        ["dispatch"],
        _run_dispatch,
        _("Dispatched."),
    ),
    "start": _a(_("Start work"), forms.StartForm, ["start"], _run_start, _("Work started.")),
    "tick_step": _a(
        _("Tick a step"),
        forms.TickStepForm,
        ["tick_step"],
        _run_tick_step,
        _("Step done."),
    ),
    "complete": _a(
        _("Complete"),
        forms.CompleteForm,
        ["complete"],
        _run_complete,
        _("Work completed."),
    ),
    "transfer": _a(
        _("Transfer to another technician"),
        forms.TransferForm,
        ["transfer"],
        _run_transfer,
        _("Transferred."),
    ),
    "hand_back": _a(
        _("Hand back"),
        forms.HandBackForm,
        ["hand_back"],
        _run_hand_back,
        _("Handed back for dispatch."),
    ),
    "extend": _a(
        _("Extend the deadline"),
        forms.ExtendForm,
        ["extend"],
        _run_extend,
        _("Deadline extended."),
    ),
    "propose_extension": _a(
        _("Ask the customer for more time (portal)"),
        forms.ProposeExtensionForm,
        ["extend"],
        _run_propose_extension,
        _("The new deadline is proposed; the customer is asked to agree in the portal."),
    ),
    "satisfaction": _a(
        _("Record the customer's confirmation"),
        forms.SatisfactionForm,
        ["close", "reopen"],
        _run_satisfaction,
        _("The customer's confirmation is recorded."),
    ),
    "rework": _a(
        _("The customer says a defect remains"),
        forms.ReworkForm,
        ["rework"],
        _run_rework,
        _("Rework opened; its special follow-up is due 24 hours after the complaint."),
    ),
    "decline": _a(
        _("Decline as out of scope"),
        forms.DeclineForm,
        ["decline"],
        _run_decline,
        _("Declined; the explanation is recorded."),
    ),
    "cancel": _a(
        _("Cancel the request"),
        forms.CancelForm,
        ["cancel"],
        _run_cancel,
        _("Request cancelled."),
    ),
    "contact": _a(
        _("Record a contact"),
        forms.ContactForm,
        ["record_contact"],
        _run_contact,
        _("Contact recorded."),
    ),
}

# Shown with the checklist or on the work order rather than in the panel.
NOT_IN_PANEL = {"tick_step"}
WORKORDER_ACTIONS = ("start", "complete", "hand_back", "extend")


def available_actions(user, ticket) -> list[str]:
    """What this person may do to this request now: lifecycle ∩ permission ∩ what makes sense."""
    permitted = set(lifecycle.actions_for(user, ticket))
    return [name for name, action in ACTIONS.items() if action.steps & permitted]


def _form_for(
    name, ticket, *, data=None, files=None, auto_id=None, initial=None, accepted_total=None
):
    kwargs = {"ticket": ticket, "auto_id": auto_id or f"id_{name}_%s"}
    if name == "complete":
        kwargs["accepted_total"] = accepted_total
    if data is None:
        return ACTIONS[name].form(initial={"version": ticket.version, **(initial or {})}, **kwargs)
    return ACTIONS[name].form(data, files, **kwargs)


def _page_context(request, ticket, *, now, bound_name=None, bound_form=None):
    """Everything the detail page and the work order show, with one form per available action;
    the form that just failed is shown again, open, with its errors and the current version."""
    user = request.user
    quotes = list(ticket.quotes.prefetch_related("lines").select_related("created_by"))
    accepted = ticket.accepted_quote(quotes)
    names = available_actions(user, ticket)
    if bound_form is not None:
        # The current version, so the person can resubmit after looking at what changed.
        bound_form.data = bound_form.data.copy()
        bound_form.data["version"] = ticket.version
    action_forms = []
    for name in names:
        if name in NOT_IN_PANEL:
            continue
        form = (
            bound_form
            if name == bound_name
            else _form_for(name, ticket, accepted_total=accepted.total if accepted else None)
        )
        action_forms.append({"name": name, "label": ACTIONS[name].label, "form": form})
    can_tick = "tick_step" in names
    checklist = list(ticket.checklist.select_related("done_by"))
    # Before dispatch there is no checklist yet: show the item's procedure it will be copied from.
    procedure = list(ticket.item.steps.all()) if ticket.item_id and not checklist else []
    for step in checklist:
        step.form = None
        if can_tick and not step.done_at:
            if bound_name == "tick_step" and str(bound_form.data.get("step")) == str(step.pk):
                step.form = bound_form
            else:
                step.form = _form_for(
                    "tick_step",
                    ticket,
                    auto_id=f"id_step{step.pk}_%s",
                    initial={"step": step.pk},
                )
    timeline = list(selectors.ticket_timeline(ticket))  # each event carries its own label
    reworks = list(ticket.reworks.select_related("assignee").order_by("created_at", "pk"))
    return {
        # What later apps show here (rework's special follow-up, M15): ``tickets.pages``.
        **page_extras(ticket=ticket, reworks=reworks, now=now),
        "ticket": ticket,
        # A complaint is handled on its complaint page; as a request it only logs contacts.
        "complaint_kind": ticket.kind == Kind.COMPLAINT,
        "complaint": getattr(ticket, "complaint", None) if ticket.kind == Kind.COMPLAINT else None,
        "now": now,
        "overdue": ticket.is_overdue(now),
        "completed_late": not ticket.is_overdue(now) and ticket.missed_deadline(now),
        "customer": ticket.customer,
        "phones": list(ticket.customer.phones.order_by("-is_primary", "pk")),
        "quotes": quotes,
        "accepted_quote": accepted,
        "awaiting_fee": ticket.awaits_fee(quotes),
        "assignments": list(ticket.assignments.select_related("technician", "assigned_by")),
        "checklist": checklist,
        "procedure": procedure,
        "extensions": list(ticket.extensions.select_related("created_by", "contact")),
        "proposals": list(ticket.extension_proposals.select_related("proposed_by")),
        "contacts": list(ticket.contacts.select_related("staff").order_by("-at", "-pk")),
        "events": timeline,
        "reworks": reworks,
        "action_forms": action_forms,
        "workorder_forms": [a for a in action_forms if a["name"] in WORKORDER_ACTIONS],
        "open_action": bound_name,
        "bound_form": bound_form,
    }


@login_required
def ticket_detail(request, pk):
    ticket = get_or_404(selectors.ticket_get, request.user, pk)
    context = _page_context(request, ticket, now=timezone.now())
    return render(request, "tickets/detail.html", context)


@login_required
def workorder(request, pk):
    """The technician's work order, made for a phone held in one hand."""
    ticket = get_or_404(selectors.ticket_get, request.user, pk)
    context = _page_context(request, ticket, now=timezone.now())
    return render(request, "tickets/workorder.html", context)


@login_required
@require_POST
def ticket_action(request, pk, action):
    if action not in ACTIONS:
        raise Http404
    spec = ACTIONS[action]
    ticket = get_or_404(selectors.ticket_get, request.user, pk)
    page = request.POST.get("page") if request.POST.get("page") in PAGE_TEMPLATES else "detail"
    step = request.POST.get("step", "")
    auto_id = f"id_step{step}_%s" if action == "tick_step" and parse_id(step) else None
    form = _form_for(action, ticket, data=request.POST, files=request.FILES, auto_id=auto_id)
    status = 400
    if form.is_valid():
        try:
            spec.run(request, ticket, form)
        except DomainError as err:
            status = show_error(form, err)
        else:
            messages.success(request, spec.done)
            target = "console:workorder" if page == "workorder" else "console:ticket_detail"
            return redirect(target, pk=ticket.pk)
    # Re-read: the failed attempt changed nothing, but someone else may have.
    ticket = get_or_404(selectors.ticket_get, request.user, pk)
    context = _page_context(request, ticket, now=timezone.now(), bound_name=action, bound_form=form)
    context["error_action"] = spec.label
    context["error_messages"] = _banner(form, context)
    return render(request, PAGE_TEMPLATES[page], context, status=status)


def _banner(form, context) -> list:
    """The messages to show above the page: those the form itself cannot show in place."""
    hidden = {f.name for f in form.hidden_fields()}
    shown = any(a["form"] is form for a in context["action_forms"]) or any(
        s.form is form for s in context["checklist"]
    )
    out = list(form.non_field_errors())
    for name, errors in form.errors.items():
        if name != "__all__" and (name in hidden or not shown):
            out.extend(errors)
    if hasattr(form, "lines") and not shown:
        out.extend(e for f in form.lines.forms for errs in f.errors.values() for e in errs)
    return out or [_("Please correct the errors below.")]


# --- the customer's one-time quote link (no login) ------------------------------------------------


def quote_public(request, token):
    now = timezone.now()
    quote = selectors.quote_by_token(token)
    if quote is None:
        return render(request, "tickets/quote_public.html", {"state": "unknown"}, status=404)
    context = {"quote": quote, "ticket": quote.ticket, "lines": list(quote.lines.all())}
    if request.method == "POST":
        choice = request.POST.get("answer")
        if choice not in ("accept", "reject"):
            context.update(state="open", error=_("Choose accept or reject."))
            return render(request, "tickets/quote_public.html", context, status=400)
        try:
            quote = services.quote_answer_by_link(token=token, accepted=choice == "accept", now=now)
        except DomainError as err:
            quote.refresh_from_db()
            context["error"] = err.message
            status = 410 if err.code == "quote_expired" else err.status
            context["state"] = "expired" if status == 410 else "answered"
            return render(request, "tickets/quote_public.html", context, status=status)
        context.update(quote=quote, state="thanks")
        return render(request, "tickets/quote_public.html", context)
    if quote.state != Quote.State.SENT:
        context["state"] = "answered"
        return render(request, "tickets/quote_public.html", context, status=409)
    if quote.is_expired(now):
        context["state"] = "expired"
        return render(request, "tickets/quote_public.html", context, status=410)
    return render(request, "tickets/quote_public.html", {**context, "state": "open"})
