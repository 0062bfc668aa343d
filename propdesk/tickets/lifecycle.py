"""The request lifecycle as data: which action moves a request from which statuses to which.

new → confirmed → (quoted → accepted) → dispatched → in_progress → completed → closed
plus declined, cancelled, and reopened (rework). Services consult this table and nothing else.
A request of a kind that another app moves (a complaint's) follows that app's transitions, which
it registers here (``register_driven_kind``).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from propdesk.core.permissions import allowed

from .models import BEFORE_SERVICE_STATUSES, OPEN_STATUSES, WITH_TECHNICIAN_STATUSES
from .models import Status as S


@dataclass(frozen=True)
class Transition:
    sources: frozenset
    target: str | None  # None: the action does not change the status


def transition(sources, target=None) -> Transition:
    return Transition(frozenset(sources), target)


_t = transition


TRANSITIONS: dict[str, Transition] = {
    "confirm": _t([S.NEW], S.CONFIRMED),
    "answer": _t([S.NEW, S.CONFIRMED], S.CLOSED),  # inquiries, suggestions, praise
    "decline": _t([S.NEW, S.CONFIRMED], S.DECLINED),
    "quote": _t([S.CONFIRMED, S.QUOTED], S.QUOTED),
    "accept_quote": _t([S.QUOTED], S.ACCEPTED),
    "reject_quote": _t([S.QUOTED], S.CONFIRMED),
    "dispatch": _t([S.CONFIRMED, S.ACCEPTED], S.DISPATCHED),
    "transfer": _t(WITH_TECHNICIAN_STATUSES, S.DISPATCHED),
    "hand_back": _t(WITH_TECHNICIAN_STATUSES, S.CONFIRMED),
    "start": _t([S.DISPATCHED], S.IN_PROGRESS),
    "tick_step": _t(WITH_TECHNICIAN_STATUSES),
    "extend": _t(OPEN_STATUSES),
    "complete": _t(WITH_TECHNICIAN_STATUSES, S.COMPLETED),
    "close": _t([S.COMPLETED], S.CLOSED),
    "reopen": _t([S.COMPLETED], S.REOPENED),
    "close_after_rework": _t([S.REOPENED], S.CLOSED),
    "cancel": _t(BEFORE_SERVICE_STATUSES, S.CANCELLED),
    "record_contact": _t(list(S)),
    # M15: the customer says a defect remains. The original keeps its status; the rework is a
    # new order linked to it (``services.rework_open``).
    "rework": _t([S.COMPLETED, S.CLOSED, S.REOPENED]),
}


@dataclass(frozen=True)
class DrivenKind:
    """Requests of a kind that another app moves (a complaint's request follows its complaint)."""

    actions: frozenset  # the other app's transitions, and the request actions it allows
    refusal: str  # why any other request action is refused
    code: str


# kind → how its requests are moved; filled by ``register_driven_kind``.
_DRIVEN: dict[str, DrivenKind] = {}


def register_driven_kind(
    kind: str,
    transitions: Mapping[str, Transition],
    labels: Mapping[str, str],
    *,
    also: Iterable[str] = (),
    refusal: str,
    code: str,
) -> None:
    """Requests of ``kind`` are moved by another app (from its ``AppConfig.ready()``), through
    ``transitions`` of its own, named in refusals by ``labels``; of the request's own actions only
    ``also`` apply to them, and any other is refused with ``refusal``. Its transitions are never
    offered as request actions (they have no permission here)."""
    taken = sorted(set(transitions) & set(TRANSITIONS))
    if taken or kind in _DRIVEN:
        raise ImproperlyConfigured(f"Request transitions registered twice: {kind} {taken}")
    TRANSITIONS.update(transitions)
    ACTION_LABELS.update(labels)
    _DRIVEN[kind] = DrivenKind(frozenset(transitions) | frozenset(also), refusal, code)


def driven(kind: str) -> DrivenKind | None:
    """How requests of ``kind`` are moved when another app moves them, else None."""
    return _DRIVEN.get(kind)


def allowed_actions(status: str) -> list[str]:
    return [name for name, t in TRANSITIONS.items() if status in t.sources]


# How an action is named in the message that refuses it.
ACTION_LABELS = {
    "confirm": _("Confirming"),
    "answer": _("Answering"),
    "decline": _("Declining"),
    "quote": _("Quoting a fee"),
    "accept_quote": _("Accepting the fee"),
    "reject_quote": _("Rejecting the fee"),
    "dispatch": _("Dispatching"),
    "transfer": _("Transferring"),
    "hand_back": _("Handing back"),
    "start": _("Starting work"),
    "tick_step": _("Ticking a procedure step"),
    "extend": _("Extending the deadline"),
    "complete": _("Completing"),
    "close": _("Confirming satisfaction"),
    "reopen": _("Reopening"),
    "close_after_rework": _("Closing after rework"),
    "cancel": _("Cancelling"),
    "record_contact": _("Recording a contact"),
    "rework": _("Opening rework"),
}


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


# Which permission (core.permissions.ACTIONS) each lifecycle action needs. close_after_rework
# happens inside the customer's confirmation of the rework and is never offered on its own.
PERMISSIONS = {
    "confirm": "ticket.confirm",
    "answer": "ticket.answer",
    "decline": "ticket.decline",
    "quote": "ticket.quote",
    "accept_quote": "ticket.record_acceptance",
    "reject_quote": "ticket.record_acceptance",
    "dispatch": "ticket.dispatch",
    "transfer": "ticket.transfer",
    "hand_back": "ticket.hand_back",
    "start": "ticket.work",
    "tick_step": "ticket.work",
    "extend": "ticket.extend",
    "complete": "ticket.complete",
    "close": "ticket.record_satisfaction",
    "reopen": "ticket.record_satisfaction",
    "cancel": "ticket.cancel",
    "record_contact": "contact.record",
    "rework": "rework.open",
}


# Inquiries, suggestions and praise are closed with an answer; other kinds need the work done.
ANSWERABLE_KINDS = ("inquiry", "suggestion", "praise")


def _makes_sense(name: str, ticket) -> bool:
    """Rules beyond the status that decide whether an action is worth offering at all."""
    if ticket.kind in _DRIVEN:
        # Handled on its own page (a complaint's); as a request it only logs contacts.
        return name == "record_contact"
    if name == "answer":
        return ticket.kind in ANSWERABLE_KINDS
    if name == "quote":
        # Free items and rework need no fee; a request without an item may still be quoted.
        return ticket.needs_fee_acceptance or not ticket.item_id
    if name == "rework":
        return reworkable(ticket)
    if name == "dispatch":
        return not ticket.awaits_fee()  # M10: the fee first
    return True


def reworkable(ticket) -> bool:
    """M15: only work that was done can be redone (an answered inquiry was closed without any)."""
    return ticket.status in TRANSITIONS["rework"].sources and ticket.completed_at is not None


def actions_for(user, ticket) -> list[str]:
    """What ``user`` may usefully do to ``ticket`` now: the lifecycle's actions that his role
    permits and that make sense for this request. The console offers these; the API lists them."""
    return [
        name
        for name in allowed_actions(ticket.status)
        if name in PERMISSIONS
        and allowed(user, PERMISSIONS[name], ticket)
        and _makes_sense(name, ticket)
    ]
