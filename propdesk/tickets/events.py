"""The timeline: one event kind per business action, with the wording staff and customers read.

The request loop's own kinds are below. Apps that write on a request's timeline too (after
service's defect watches, complaints) register theirs from their ``AppConfig.ready()`` with
``register_kinds``; an unknown kind is refused when it is recorded."""

from collections.abc import Iterable, Mapping

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

KINDS = {
    "created": _("Request received"),
    "confirmed": _("Content and requirements confirmed with the customer"),
    "answered": _("Answered"),
    "declined": _("Declined as outside the service scope"),
    "quoted": _("Fee quoted to the customer"),
    "quote_accepted": _("Customer accepted the fee"),
    "quote_rejected": _("Customer did not accept the fee"),
    "dispatched": _("Dispatched to a technician"),
    "transferred": _("Transferred to another technician"),
    "handed_back": _("Handed back for dispatch"),
    "started": _("Work started"),
    "step_done": _("Procedure step done"),
    "extension_proposed": _("New deadline proposed to the customer"),
    "extension_refused": _("Customer refused the proposed deadline"),
    "extended": _("Deadline extended with the customer's agreement"),
    "completed": _("Work completed"),
    "closed": _("Confirmed by the customer and closed"),
    "reopened": _("Customer not satisfied: reopened for rework"),
    "rework_opened": _("Rework order opened"),
    "cancelled": _("Cancelled"),
    "contact": _("Contact with the customer"),
}

# What the customer may read on their own timeline; the rest stays internal.
CUSTOMER_VISIBLE = set(
    {
        "created",
        "confirmed",
        "answered",
        "declined",
        "quoted",
        "quote_accepted",
        "quote_rejected",
        "dispatched",
        "extension_proposed",
        "extension_refused",
        "extended",
        "completed",
        "closed",
        "reopened",
        "rework_opened",
        "cancelled",
    }
)


# Events whose note the customer may read too: what was said to them or by them. Other notes
# (a dispatch note, how a fee was answered) are for staff.
CUSTOMER_NOTES = set(
    {
        "confirmed",
        "answered",
        "declined",
        "extension_proposed",
        "extended",
        "completed",
        "closed",
        "reopened",
        "rework_opened",
        "cancelled",
    }
)


def register_kinds(
    kinds: Mapping[str, str],
    *,
    customer_visible: Iterable[str] = (),
    customer_notes: Iterable[str] = (),
) -> None:
    """Add an app's event kinds with their wording; ``customer_visible`` of them the customer
    reads on their timeline, and ``customer_notes`` with the note too. A kind is registered once."""
    taken = sorted(set(kinds) & set(KINDS))
    if taken:
        raise ImproperlyConfigured(f"Timeline event kinds registered twice: {', '.join(taken)}")
    unknown = sorted((set(customer_visible) | set(customer_notes)) - set(kinds))
    if unknown:
        raise ImproperlyConfigured(
            f"Not among the kinds registered with them: {', '.join(unknown)}"
        )
    KINDS.update(kinds)
    CUSTOMER_VISIBLE.update(customer_visible)
    CUSTOMER_NOTES.update(customer_notes)


def customer_note(event) -> str:
    return event.note if event.kind in CUSTOMER_NOTES else ""


def record(
    *, ticket, kind: str, actor, at, from_status: str = "", to_status: str = "", note: str = ""
):
    if kind not in KINDS:
        raise ValueError(f"unknown ticket event kind {kind!r}")
    return ticket.events.create(
        kind=kind,
        actor=actor,
        at=at,
        from_status=from_status,
        to_status=to_status or (ticket.status if from_status else ""),
        note=note,
        customer_visible=kind in CUSTOMER_VISIBLE,
    )


def label(kind: str) -> str:
    return str(KINDS.get(kind, kind))
