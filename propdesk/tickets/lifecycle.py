"""The request lifecycle as data: which action moves a request from which statuses to which,
what permission it needs, and when it makes sense at all.

new → confirmed → (quoted → accepted) → dispatched → in_progress → completed → closed
plus declined, cancelled, and reopened (rework). The table is a ``core.lifecycle.Lifecycle``:
``actions_for`` answers the console (the buttons) and the API (``allowed_actions``), and the
services refuse through the same table (``REQUESTS.check``), so the two cannot drift. A request of
a kind that another app moves (a complaint's) follows that app's transitions, which it registers
here (``register_driven_kind``).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from propdesk.core.lifecycle import Action, Lifecycle, action

from .models import BEFORE_SERVICE_STATUSES, OPEN_STATUSES, WITH_TECHNICIAN_STATUSES
from .models import Status as S

# Inquiries, suggestions and praise are closed with an answer; other kinds need the work done.
ANSWERABLE_KINDS = ("inquiry", "suggestion", "praise")


def reworkable(ticket) -> bool:
    """M15: only work that was done can be redone (an answered inquiry was closed without any)."""
    return ticket.status in REQUESTS["rework"].sources and ticket.completed_at is not None


REQUESTS = Lifecycle(
    {
        "confirm": action([S.NEW], S.CONFIRMED, permission="ticket.confirm", label=_("Confirming")),
        "answer": action(
            [S.NEW, S.CONFIRMED],
            S.CLOSED,
            permission="ticket.answer",
            label=_("Answering"),
            when=lambda ticket: ticket.kind in ANSWERABLE_KINDS,
        ),
        "decline": action(
            [S.NEW, S.CONFIRMED], S.DECLINED, permission="ticket.decline", label=_("Declining")
        ),
        "quote": action(
            [S.CONFIRMED, S.QUOTED],
            S.QUOTED,
            permission="ticket.quote",
            label=_("Quoting a fee"),
            # Free items and rework need no fee; a request without an item may still be quoted.
            when=lambda ticket: ticket.needs_fee_acceptance or not ticket.item_id,
        ),
        "accept_quote": action(
            [S.QUOTED],
            S.ACCEPTED,
            permission="ticket.record_acceptance",
            label=_("Accepting the fee"),
        ),
        "reject_quote": action(
            [S.QUOTED],
            S.CONFIRMED,
            permission="ticket.record_acceptance",
            label=_("Rejecting the fee"),
        ),
        "dispatch": action(
            [S.CONFIRMED, S.ACCEPTED],
            S.DISPATCHED,
            permission="ticket.dispatch",
            label=_("Dispatching"),
            when=lambda ticket: not ticket.awaits_fee(),  # M10: the fee first
        ),
        "transfer": action(
            WITH_TECHNICIAN_STATUSES,
            S.DISPATCHED,
            permission="ticket.transfer",
            label=_("Transferring"),
        ),
        "hand_back": action(
            WITH_TECHNICIAN_STATUSES,
            S.CONFIRMED,
            permission="ticket.hand_back",
            label=_("Handing back"),
        ),
        "start": action(
            [S.DISPATCHED], S.IN_PROGRESS, permission="ticket.work", label=_("Starting work")
        ),
        "tick_step": action(
            WITH_TECHNICIAN_STATUSES,
            permission="ticket.work",
            label=_("Ticking a procedure step"),
        ),
        "extend": action(
            OPEN_STATUSES, permission="ticket.extend", label=_("Extending the deadline")
        ),
        "complete": action(
            WITH_TECHNICIAN_STATUSES,
            S.COMPLETED,
            permission="ticket.complete",
            label=_("Completing"),
        ),
        "close": action(
            [S.COMPLETED],
            S.CLOSED,
            permission="ticket.record_satisfaction",
            label=_("Confirming satisfaction"),
        ),
        "reopen": action(
            [S.COMPLETED],
            S.REOPENED,
            permission="ticket.record_satisfaction",
            label=_("Reopening"),
        ),
        # Inside the customer's confirmation of the rework; never offered on its own.
        "close_after_rework": action([S.REOPENED], S.CLOSED, label=_("Closing after rework")),
        "cancel": action(
            BEFORE_SERVICE_STATUSES, S.CANCELLED, permission="ticket.cancel", label=_("Cancelling")
        ),
        "record_contact": action(
            list(S), permission="contact.record", label=_("Recording a contact")
        ),
        # M15: the customer says a defect remains. The original keeps its status; the rework is a
        # new order linked to it (``services.rework_open``).
        "rework": action(
            [S.COMPLETED, S.CLOSED, S.REOPENED],
            permission="rework.open",
            label=_("Opening rework"),
            when=reworkable,
        ),
    },
    state_field="status",
    refusal=_("%(action)s is not allowed while the request is “%(status)s”."),
)

# Each action's statuses and target, for those who only read them ("may it still be cancelled?").
TRANSITIONS: Mapping[str, Action] = REQUESTS.actions


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
    transitions: Mapping[str, Action],
    *,
    also: Iterable[str] = (),
    refusal: str,
    code: str,
) -> None:
    """Requests of ``kind`` are moved by another app (from its ``AppConfig.ready()``), through
    ``transitions`` of its own (without a permission: never offered as request actions); of the
    request's own actions only ``also`` apply to them, and any other is refused with
    ``refusal``."""
    if kind in _DRIVEN:
        raise ImproperlyConfigured(f"Requests of kind {kind} are moved by another app already.")
    REQUESTS.add(transitions)
    _DRIVEN[kind] = DrivenKind(frozenset(transitions) | frozenset(also), refusal, code)


def driven(kind: str) -> DrivenKind | None:
    """How requests of ``kind`` are moved when another app moves them, else None."""
    return _DRIVEN.get(kind)


def actions_for(user, ticket) -> list[str]:
    """What ``user`` may usefully do to ``ticket`` now: the lifecycle's actions that his role
    permits and that make sense for this request. The console offers these; the API lists them.
    A request another app moves (a complaint's) is handled on its own page; as a request it only
    logs contacts."""
    names = REQUESTS.actions_for(user, ticket)
    if ticket.kind in _DRIVEN:
        return [name for name in names if name == "record_contact"]
    return names
