"""Dispatch: the work order sent to a technician, transferred to another, or handed back."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from propdesk.core.errors import Conflict, DomainError
from propdesk.core.permissions import require
from propdesk.org.models import User

from ..models import Assignment, ChecklistStep, Ticket
from ..notifications import tell_customer, tell_staff
from ._common import _check, _locked, _move, _required


def _end_assignment(ticket: Ticket, reason: str, now, note: str = "") -> None:
    ticket.assignments.filter(ended_at__isnull=True).update(
        ended_at=now, end_reason=reason, end_note=note
    )


def _check_technician(ticket: Ticket, technician) -> None:
    eligible = User.objects.technicians_of(ticket.office_id)
    if technician is None or not eligible.filter(pk=technician.pk).exists():
        raise DomainError(
            _("Choose an active technician of this request's office."),
            code="invalid",
            field="technician",
        )


@transaction.atomic
def ticket_dispatch(
    *,
    actor,
    ticket: Ticket,
    technician,
    note: str = "",
    expected_version: int | None = None,
    now=None,
) -> Ticket:
    """Send the work order to a technician. M10: a chargeable job needs the fee accepted first."""
    now = now or timezone.now()
    require(actor, "ticket.dispatch", ticket)
    ticket = _locked(ticket, expected_version)
    _check(ticket, "dispatch")
    _check_technician(ticket, technician)
    if ticket.awaits_fee():
        raise Conflict(
            _("This is a chargeable service: the customer must accept the fee before dispatch."),
            code="fee_not_accepted",
            field="quote",
        )
    _assign(ticket, technician, actor=actor, now=now, note=note)
    return ticket


def _assign(ticket: Ticket, technician, *, actor, now, note: str = "") -> None:
    """Dispatch: the assignment, the procedure copied onto the work order, the timeline, and
    the customer and the technician told."""
    Assignment.objects.create(
        ticket=ticket, technician=technician, assigned_by=actor, assigned_at=now, note=note
    )
    if ticket.item_id and not ticket.checklist.exists():
        ChecklistStep.objects.bulk_create(
            ChecklistStep(
                ticket=ticket,
                position=s.position,
                title=s.title,
                detail=s.detail,
                needs_photo=s.needs_photo,
            )
            for s in ticket.item.steps.all()
        )
    ticket.assignee = technician
    _move(
        ticket,
        "dispatch",
        actor=actor,
        now=now,
        event="dispatched",
        fields=["assignee"],
        note=f"{technician.display_name} {note}".strip(),
    )
    tell_customer(ticket, "dispatched", now=now, technician=technician.display_name)
    tell_staff(ticket, "assigned", users=[technician], now=now)


@transaction.atomic
def ticket_transfer(
    *, actor, ticket: Ticket, technician, reason: str, expected_version: int | None = None, now=None
) -> Ticket:
    now = now or timezone.now()
    require(actor, "ticket.transfer", ticket)
    reason = _required(reason, "reason", _("Say why the work order is transferred."))
    ticket = _locked(ticket, expected_version)
    _check(ticket, "transfer")
    _check_technician(ticket, technician)
    if technician.pk == ticket.assignee_id:
        raise DomainError(
            _("The work order is already with this technician."), code="invalid", field="technician"
        )
    _end_assignment(ticket, Assignment.End.TRANSFERRED, now, reason)
    Assignment.objects.create(
        ticket=ticket, technician=technician, assigned_by=actor, assigned_at=now, note=reason
    )
    ticket.assignee = technician
    _move(
        ticket,
        "transfer",
        actor=actor,
        now=now,
        event="transferred",
        fields=["assignee"],
        note=f"→ {technician.display_name}: {reason}",
    )
    tell_staff(ticket, "assigned", users=[technician], now=now)
    return ticket


@transaction.atomic
def ticket_hand_back(
    *, actor, ticket: Ticket, reason: str, expected_version: int | None = None, now=None
) -> Ticket:
    """The technician cannot do it: the work order goes back to be dispatched again."""
    now = now or timezone.now()
    require(actor, "ticket.hand_back", ticket)
    reason = _required(reason, "reason", _("Say why the work order is handed back."))
    ticket = _locked(ticket, expected_version)
    _check(ticket, "hand_back")
    _end_assignment(ticket, Assignment.End.HANDED_BACK, now, reason)
    ticket.assignee = None
    _move(
        ticket,
        "hand_back",
        actor=actor,
        now=now,
        event="handed_back",
        fields=["assignee"],
        note=reason,
    )
    return ticket
