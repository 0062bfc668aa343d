"""The actions on a request: one form each, offered when the lifecycle and the person's
permission allow it, each running one service."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from propdesk.core.errors import Conflict

from .. import forms, lifecycle, selectors, services
from ..models import Quote


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
