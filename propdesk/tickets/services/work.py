"""The work (M11): started, its procedure steps ticked off, and completed with the final charge."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from propdesk.core.errors import Conflict, DomainError, NotFound
from propdesk.core.permissions import require
from propdesk.core.uploads import validate_photo

from .. import events, signals
from ..models import Assignment, Charge, ChecklistStep, CompletionPhoto, Status, Ticket
from ..notifications import tell_customer
from ._common import _check, _locked, _money, _move, _required, _save
from .dispatch import _end_assignment
from .intake import checked_photos


def _start(ticket: Ticket, actor, now) -> None:
    if ticket.status == Status.DISPATCHED:
        _move(ticket, "start", actor=actor, now=now, event="started")


@transaction.atomic
def ticket_start(*, actor, ticket: Ticket, expected_version: int | None = None, now=None) -> Ticket:
    now = now or timezone.now()
    require(actor, "ticket.work", ticket)
    ticket = _locked(ticket, expected_version)
    _check(ticket, "start")
    _start(ticket, actor, now)
    return ticket


@transaction.atomic
def checklist_tick(
    *,
    actor,
    ticket: Ticket,
    step_id: int,
    note: str = "",
    photo=None,
    expected_version: int | None = None,
    now=None,
) -> ChecklistStep:
    """The technician records a procedure step as done, with a note and a photo where asked."""
    now = now or timezone.now()
    require(actor, "ticket.work", ticket)
    ticket = _locked(ticket, expected_version)
    _check(ticket, "tick_step")
    try:
        step = ticket.checklist.select_for_update().get(pk=step_id)
    except (ChecklistStep.DoesNotExist, ValueError, TypeError):
        raise NotFound(field="step") from None
    if step.done_at:
        raise Conflict(_("This step is already done."), code="step_done", field="step")
    if photo:
        validate_photo(photo)
    elif step.needs_photo:
        raise DomainError(_("This step needs a photo."), code="required", field="photo")
    step.done_at, step.done_by, step.note = now, actor, (note or "").strip()
    update = ["done_at", "done_by", "note"]
    if photo:
        step.photo = photo
        update.append("photo")
    step.save(update_fields=update)
    _start(ticket, actor, now)
    _save(ticket, actor, [])
    events.record(
        ticket=ticket,
        kind="step_done",
        actor=actor,
        at=now,
        note=f"{step.position}. {step.title}" + (f" — {step.note}" if step.note else ""),
    )
    return step


@transaction.atomic
def ticket_complete(
    *,
    actor,
    ticket: Ticket,
    work_summary: str,
    final_charge=Decimal("0"),
    photos=(),
    expected_version: int | None = None,
    now=None,
) -> Ticket:
    """The work is done: summary, final charge (the office's revenue, M24) and up to
    ``MAX_PHOTOS`` photos of the finished work, each checked before anything is written."""
    now = now or timezone.now()
    require(actor, "ticket.complete", ticket)
    work_summary = _required(work_summary, "work_summary", _("Describe the work done."))
    photos = checked_photos(photos or ())
    charge = _money(final_charge if final_charge not in (None, "") else "0", "final_charge")
    ticket = _locked(ticket, expected_version)
    _check(ticket, "complete")
    open_steps = list(ticket.checklist.filter(done_at__isnull=True).values_list("title", flat=True))
    if open_steps:
        raise Conflict(
            _("Every procedure step must be done first. Still open: %(steps)s")
            % {"steps": "、".join(open_steps)},
            code="steps_not_done",
            field="checklist",
        )
    if ticket.needs_fee_acceptance:
        accepted = ticket.accepted_quote()
        if accepted and charge > accepted.total:
            raise DomainError(
                _("The charge cannot exceed the fee the customer accepted (¥%(total)s).")
                % {"total": accepted.total},
                code="above_accepted_fee",
                field="final_charge",
            )
    elif charge > 0:
        raise DomainError(
            _("This service is free of charge."), code="free_service", field="final_charge"
        )
    ticket.work_summary, ticket.final_charge, ticket.completed_at = work_summary, charge, now
    _end_assignment(ticket, Assignment.End.COMPLETED, now)
    if charge > 0:
        Charge.objects.create(
            office_id=ticket.office_id,
            ticket=ticket,
            customer_id=ticket.customer_id,
            household_id=ticket.household_id,
            item=ticket.item,
            is_special=bool(ticket.item and ticket.item.is_special),
            amount=charge,
            recorded_at=now,
            recorded_by=actor,
        )
    _move(
        ticket,
        "complete",
        actor=actor,
        now=now,
        event="completed",
        fields=["work_summary", "final_charge", "completed_at"],
        note=work_summary,
    )
    tell_customer(ticket, "completed", now=now, note=work_summary)
    signals.ticket_completed.send(sender=Ticket, ticket=ticket, actor=actor, now=now)
    # Stored last, once every check has passed: a refused completion keeps no file.
    for photo in photos:
        CompletionPhoto.objects.create(ticket=ticket, image=photo, taken_by=actor, created_at=now)
    return ticket
