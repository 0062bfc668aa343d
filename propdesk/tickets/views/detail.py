"""One request: its page, the technician's work order, and an action posted from either,
shown again with the service's message when it is refused."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from propdesk.core.errors import DomainError
from propdesk.core.forms import show_error
from propdesk.core.params import parse_id
from propdesk.core.views import get_or_404

from .. import selectors
from ..models import BEFORE_SERVICE_STATUSES, Kind, Status
from ..pages import page_extras
from .actions import ACTIONS, NOT_IN_PANEL, WORKORDER_ACTIONS, _form_for, available_actions

PAGE_TEMPLATES = {"detail": "tickets/detail.html", "workorder": "tickets/workorder.html"}
# Before these the work has not started: the work order keeps its steps folded.
NOT_STARTED = (*BEFORE_SERVICE_STATUSES, Status.DISPATCHED)


def _page_context(request, ticket, *, now, bound_name=None, bound_form=None):
    """Everything the detail page and the work order show, with one form per available action;
    the form that just failed is shown again, open, with its errors and the current version."""
    user = request.user
    quotes = list(ticket.quotes.all())  # the request is read in full (selectors.IN_FULL)
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
    checklist = list(ticket.checklist.all())
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
    timeline = list(ticket.events.all())  # each event carries its own label
    reworks = list(ticket.reworks.all())
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
        "assignments": list(ticket.assignments.all()),
        "checklist": checklist,
        "procedure": procedure,
        "extensions": list(ticket.extensions.all()),
        "proposals": list(ticket.extension_proposals.all()),
        "contacts": list(ticket.contacts.all()),
        "events": timeline,
        "reworks": reworks,
        "action_forms": action_forms,
        "workorder_forms": [a for a in action_forms if a["name"] in WORKORDER_ACTIONS],
        # The work order's: its bars' buttons (start is a form of its own, the others open
        # their panel further down), the steps' progress and the photos taken.
        "start_form": next((a["form"] for a in action_forms if a["name"] == "start"), None),
        "bar_actions": [
            a for a in action_forms if a["name"] in WORKORDER_ACTIONS and a["name"] != "start"
        ],
        "work_started": ticket.status not in NOT_STARTED,
        "steps_done": sum(1 for s in checklist if s.done_at),
        "step_photos": [s for s in checklist if s.photo],
        "open_action": bound_name,
        "bound_form": bound_form,
    }


@login_required
def ticket_detail(request, pk):
    ticket = get_or_404(selectors.ticket_in_full, request.user, pk)
    context = _page_context(request, ticket, now=timezone.now())
    return render(request, "tickets/detail.html", context)


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
    ticket = get_or_404(selectors.ticket_in_full, request.user, pk)
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
