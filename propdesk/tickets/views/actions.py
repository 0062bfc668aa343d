"""The actions on a request: one form each, offered when the lifecycle and the person's
permission allow it, each running one of ``commands`` (the same call the API makes)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from propdesk.core.errors import Conflict

from .. import commands, forms, lifecycle, selectors
from ..models import Quote


def _pending_quote(ticket):
    quote = ticket.quotes.filter(state=Quote.State.SENT).first()
    if quote is None:
        raise Conflict(
            _("There is no quote waiting for the customer's answer."), code="no_pending_quote"
        )
    return quote


def _quote_lines(form, ticket):
    return {"lines": form.line_dicts()}


def _answered_quote(form, ticket):
    return {**form.cleaned_data, "quote": _pending_quote(ticket)}


def _step(form, ticket):
    return {**form.cleaned_data, "step_id": form.cleaned_data["step"]}


def _show_quote_link(request, result):
    quote, token = result
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


def _show_rework(request, rework):
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


@dataclass(frozen=True)
class Action:
    label: str
    form: type
    steps: frozenset  # the lifecycle actions that offer this form
    command: Callable  # from ``commands``: the one call the console and the API share
    done: str
    data: Callable | None = None  # (form, ticket) -> the command's data, where the form differs
    then: Callable | None = None  # (request, result): what the console alone does after it

    def run(self, request, ticket, form) -> None:
        data = self.data(form, ticket) if self.data else form.cleaned_data
        version = form.cleaned_data["version"]
        result = self.command(request.user, ticket, data, expected_version=version)
        if self.then:
            self.then(request, result)


def _a(label, form, steps, command, done, **kw):
    return Action(label, form, frozenset(steps), command, done, **kw)


# The console's actions, in the order the panel shows them.
ACTIONS: dict[str, Action] = {
    "confirm": _a(
        _("Confirm with the customer"),
        forms.ConfirmForm,
        ["confirm"],
        commands.confirm,
        _("Confirmed with the customer."),
    ),
    "answer": _a(
        _("Answer (closes it)"),
        forms.AnswerForm,
        ["answer"],
        commands.answer,
        _("Answer recorded; the request is closed."),
    ),
    "quote": _a(
        _("Show the fee (quote)"),
        forms.QuoteForm,
        ["quote"],
        commands.quote,
        _("Quote recorded."),
        data=_quote_lines,
        then=_show_quote_link,
    ),
    "quote_answer": _a(
        _("Record the customer's answer to the fee"),
        forms.QuoteAnswerForm,
        ["accept_quote", "reject_quote"],
        commands.quote_answer,
        _("The customer's answer is recorded."),
        data=_answered_quote,
    ),
    "dispatch": _a(
        _("Dispatch to a technician"),
        forms.DispatchForm,
        ["dispatch"],
        commands.dispatch,
        _("Dispatched."),
    ),
    "start": _a(_("Start work"), forms.StartForm, ["start"], commands.start, _("Work started.")),
    "tick_step": _a(
        _("Tick a step"),
        forms.TickStepForm,
        ["tick_step"],
        commands.tick_step,
        _("Step done."),
        data=_step,
    ),
    "complete": _a(
        _("Complete"),
        forms.CompleteForm,
        ["complete"],
        commands.complete,
        _("Work completed."),
    ),
    "transfer": _a(
        _("Transfer to another technician"),
        forms.TransferForm,
        ["transfer"],
        commands.transfer,
        _("Transferred."),
    ),
    "hand_back": _a(
        _("Hand back"),
        forms.HandBackForm,
        ["hand_back"],
        commands.hand_back,
        _("Handed back for dispatch."),
    ),
    "extend": _a(
        _("Extend the deadline"),
        forms.ExtendForm,
        ["extend"],
        commands.extend,
        _("Deadline extended."),
    ),
    "propose_extension": _a(
        _("Ask the customer for more time (portal)"),
        forms.ProposeExtensionForm,
        ["extend"],
        commands.propose_extension,
        _("The new deadline is proposed; the customer is asked to agree in the portal."),
    ),
    "satisfaction": _a(
        _("Record the customer's confirmation"),
        forms.SatisfactionForm,
        ["close", "reopen"],
        commands.customer_confirm,
        _("The customer's confirmation is recorded."),
    ),
    "rework": _a(
        _("The customer says a defect remains"),
        forms.ReworkForm,
        ["rework"],
        commands.rework,
        _("Rework opened; its special follow-up is due 24 hours after the complaint."),
        then=_show_rework,
    ),
    "decline": _a(
        _("Decline as out of scope"),
        forms.DeclineForm,
        ["decline"],
        commands.decline,
        _("Declined; the explanation is recorded."),
    ),
    "cancel": _a(
        _("Cancel the request"),
        forms.CancelForm,
        ["cancel"],
        commands.cancel,
        _("Request cancelled."),
    ),
    "contact": _a(
        _("Record a contact"),
        forms.ContactForm,
        ["record_contact"],
        commands.record_contact,
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
