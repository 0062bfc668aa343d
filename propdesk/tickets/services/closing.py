"""The customer's word: satisfied closes the request; unsatisfied, or a defect that remains,
opens a rework order (M15). And cancelling a request."""

import datetime as dt

from django.db import transaction
from django.db.models import Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from propdesk.core.errors import Conflict, DomainError, NotFound
from propdesk.core.permissions import require
from propdesk.org.models import User

from .. import events, signals
from ..lifecycle import reworkable
from ..models import (
    OPEN_STATUSES,
    SATISFIED_STARS,
    STARS,
    Channel,
    Contact,
    Priority,
    Quote,
    RatingReason,
    ReworkSource,
    Status,
    Ticket,
)
from ..notifications import office_desk, tell_customer, tell_staff
from ._common import _aware, _check, _contact, _insert_numbered, _locked, _move, _required
from .dispatch import _assign, _check_technician

REWORK_DUE_HOURS = 24  # M15: rework and its special follow-up within 24 hours
# A customer may ask for rework in the portal within this many days of the request's closing;
# later, the problem is a new request.
PORTAL_REWORK_DAYS = 90


@transaction.atomic
def ticket_customer_confirm(
    *,
    ticket: Ticket,
    satisfied: bool | None = None,
    comment: str = "",
    actor=None,
    channel: str = Channel.HOTLINE,
    expected_version: int | None = None,
    stars: int | None = None,
    reasons=(),
    now=None,
) -> Ticket:
    """The customer confirms the result. Satisfied closes it; unsatisfied reopens it and opens a
    rework order linked to it, due within 24 hours (M15). ``actor`` is the staff member who
    recorded it, or None when the customer answered in person through the portal.

    The customer may rate in ``stars`` (1 to 5) with ``reasons`` ticked from ``RatingReason``:
    4 or 5 is satisfied, 1 to 3 is not, and the reasons ticked say why when no comment does."""
    now = now or timezone.now()
    if actor is not None:
        require(actor, "ticket.record_satisfaction", ticket)
    comment = (comment or "").strip()
    if stars is not None or satisfied is None:
        stars, reasons = _rating(stars, reasons)
        satisfied = stars >= SATISFIED_STARS
        if not comment and not satisfied and reasons:
            comment = "; ".join(str(RatingReason(r).label) for r in reasons)
    if not satisfied and not comment:
        raise DomainError(
            _("Say what the customer is not satisfied with."), code="required", field="comment"
        )
    ticket = _locked(ticket, expected_version)
    _check(ticket, "close" if satisfied else "reopen")
    ticket.satisfied, ticket.satisfaction_comment = satisfied, comment
    ticket.stars, ticket.satisfaction_reasons = stars, list(reasons)
    verdict = _("Satisfied") if satisfied else _("Not satisfied")
    if stars is not None:
        verdict = f"{verdict} ({'★' * stars}{'☆' * (5 - stars)})"
    summary = f"{verdict}" + (f": {comment}" if comment else "")
    _contact(
        ticket=ticket,
        actor=actor,
        now=now,
        summary=summary,
        direction=Contact.Direction.INBOUND,
        channel=channel,
        stage=Contact.Stage.AFTER,
    )
    if satisfied:
        ticket.closed_at = now
        _move(
            ticket,
            "close",
            actor=actor,
            now=now,
            event="closed",
            fields=[*RATING_FIELDS, "closed_at"],
            note=comment,
        )
        tell_customer(ticket, "closed", now=now)
        if ticket.rework_of_id:
            original = _locked(ticket.rework_of, None)
            if original.status == Status.REOPENED:
                original.closed_at = now
                _move(
                    original,
                    "close_after_rework",
                    actor=actor,
                    now=now,
                    event="closed",
                    fields=["closed_at"],
                    note=str(_("Closed after rework %(number)s")) % {"number": ticket.number},
                )
        return ticket
    ticket.reopen_count += 1
    _move(
        ticket,
        "reopen",
        actor=actor,
        now=now,
        event="reopened",
        fields=[*RATING_FIELDS, "reopen_count"],
        note=comment,
    )
    _open_rework(
        ticket,
        actor=actor,
        complaint=comment,
        source=ReworkSource.CONFIRMATION if actor else ReworkSource.PORTAL,
        complained_at=now,
        technician=None,
        now=now,
    )
    return ticket


RATING_FIELDS = ["satisfied", "stars", "satisfaction_reasons", "satisfaction_comment"]


def _rating(stars, reasons) -> tuple[int, list[str]]:
    """The customer's stars (1 to 5) and the reasons they ticked, each known, once, in order."""
    if isinstance(stars, bool) or not isinstance(stars, int) or stars not in STARS:
        raise DomainError(_("Choose from 1 to 5 stars."), code="invalid", field="stars")
    chosen = []
    for reason in reasons or ():
        if reason not in RatingReason.values:
            raise DomainError(
                _("“%(reason)s” is not one of the reasons offered.") % {"reason": reason},
                code="invalid",
                field="reasons",
            )
        if reason not in chosen:
            chosen.append(reason)
    return stars, chosen


@transaction.atomic
def rework_open(
    *,
    original: Ticket,
    complaint: str,
    source: str,
    actor=None,
    complained_at: dt.datetime | None = None,
    technician=None,
    now=None,
) -> Ticket:
    """The customer says a defect remains after the repair (M15): one action opens a rework order
    linked to the original, high priority, due 24 hours after the complaint, and dispatched at
    once — to ``technician``, else to the technician who did the original while he still works
    for the office. ``actor`` is the member of staff who took the complaint (None: the customer
    in the portal, or propdesk itself). A follow-up due 24 hours after the complaint is opened
    by the after-service app, which listens for ``signals.rework_opened``."""
    now = now or timezone.now()
    if actor is not None:
        require(actor, "rework.open", original)
    if source not in ReworkSource.values:
        raise DomainError(_("Say where the complaint came from."), code="invalid", field="source")
    complaint = _required(complaint, "complaint", _("Say what defect remains."))
    complained_at = _aware(complained_at, "complained_at") if complained_at else now
    if complained_at > now:
        raise DomainError(
            _("The complaint cannot be in the future."), code="invalid", field="complained_at"
        )
    original = _locked(original, None)
    if not reworkable(original):
        raise Conflict(
            _("Rework is for work that has been done; this request is “%(status)s”.")
            % {"status": original.get_status_display()},
            code="transition_not_allowed",
            field="status",
        )
    if technician is not None:
        _check_technician(original, technician)
    return _open_rework(
        original,
        actor=actor,
        complaint=complaint,
        source=source,
        complained_at=complained_at,
        technician=technician,
        now=now,
    )


# --- the customer's own rework, from the portal and the customer API ---------------------------


def _customer_refusal(original: Ticket, now, open_rework: Ticket | None):
    """Why the customer may not ask for rework of ``original`` now, or None when they may."""
    if original.status != Status.CLOSED or original.completed_at is None:
        return Conflict(
            _("Rework is for work that was done and closed; this request is “%(status)s”.")
            % {"status": original.get_status_display()},
            code="transition_not_allowed",
            field="status",
        )
    if open_rework is not None:
        return Conflict(
            _("Rework %(number)s of this request is already under way.")
            % {"number": open_rework.number},
            code="rework_under_way",
            field="status",
        )
    closed_at = original.closed_at or original.completed_at
    if now - closed_at > dt.timedelta(days=PORTAL_REWORK_DAYS):
        return Conflict(
            _(
                "This request was closed more than %(days)s days ago: please file a new request "
                "about the problem."
            )
            % {"days": PORTAL_REWORK_DAYS},
            code="rework_window_closed",
            field="status",
        )
    return None


def _open_rework_of(original: Ticket) -> Ticket | None:
    return original.reworks.filter(status__in=OPEN_STATUSES).order_by("pk").first()


def customer_may_rework(original: Ticket, now) -> bool:
    """Whether the portal offers "The problem came back" on this request now."""
    if original.status != Status.CLOSED or original.completed_at is None:
        return False  # no query for the usual case
    return _customer_refusal(original, now, _open_rework_of(original)) is None


@transaction.atomic
def rework_open_by_customer(*, customer, original: Ticket, complaint: str, now=None) -> Ticket:
    """The customer says, in the portal, that the problem came back after the request was
    closed (M15): rework is opened as from any other channel (source "portal"), within
    ``PORTAL_REWORK_DAYS`` of the closing and while no rework of it is under way."""
    now = now or timezone.now()
    if original.customer_id != customer.pk:
        raise NotFound()
    # Locked first, so that a double submission finds the rework the first one opened.
    original = Ticket.objects.select_for_update(of=("self",)).get(pk=original.pk)
    refusal = _customer_refusal(original, now, _open_rework_of(original))
    if refusal is not None:
        raise refusal
    return rework_open(
        original=original, complaint=complaint, source=ReworkSource.PORTAL, actor=None, now=now
    )


def _last_technician(original: Ticket):
    """Who did the original work, if he still works for its office: rework goes back to him."""
    last = original.assignments.order_by("-assigned_at").values("technician_id")[:1]
    return User.objects.technicians_of(original.office_id).filter(pk=Subquery(last)).first()


def _open_rework(
    original: Ticket, *, actor, complaint: str, source: str, complained_at, technician, now
) -> Ticket:
    rework = Ticket(
        office_id=original.office_id,
        kind=original.kind,
        channel=original.channel,
        priority=Priority.HIGH,
        customer_id=original.customer_id,
        household_id=original.household_id,
        item=original.item,
        status=Status.CONFIRMED,
        description=str(_("Rework of %(number)s: %(comment)s"))
        % {"number": original.number, "comment": complaint},
        confirmation=original.confirmation,
        confirmed_at=now,
        due_at=complained_at + dt.timedelta(hours=REWORK_DUE_HOURS),
        created_by=actor,
        rework_of=original,
        reopen_count=original.reopen_count,
    )
    rework._history_user = actor
    _insert_numbered(rework)  # written once, with its number, as any new request
    events.record(ticket=rework, kind="rework_opened", actor=actor, at=now, note=original.number)
    events.record(ticket=original, kind="rework_opened", actor=actor, at=now, note=rework.number)
    tell_customer(rework, "rework_opened", now=now, original=original.number)
    # The desk hears of it either way: it is due within 24 hours.
    tell_staff(
        rework, "rework_opened", users=office_desk(rework), now=now, original=original.number
    )
    technician = technician or _last_technician(original)
    if technician is not None:
        _assign(rework, technician, actor=actor, now=now, note=str(_("Rework")))
    signals.rework_opened.send(
        sender=Ticket,
        original=original,
        rework=rework,
        source=source,
        complained_at=complained_at,
        actor=actor,
        now=now,
    )
    return rework


@transaction.atomic
def ticket_cancel(
    *, actor, ticket: Ticket, reason: str, expected_version: int | None = None, now=None
) -> Ticket:
    now = now or timezone.now()
    if actor is not None:
        require(actor, "ticket.cancel", ticket)
    reason = _required(reason, "reason", _("Say why the request is cancelled."))
    ticket = _locked(ticket, expected_version)
    _check(ticket, "cancel")
    ticket.quotes.filter(state=Quote.State.SENT).update(state=Quote.State.WITHDRAWN)
    ticket.closed_at = now
    _move(
        ticket, "cancel", actor=actor, now=now, event="cancelled", fields=["closed_at"], note=reason
    )
    return ticket
