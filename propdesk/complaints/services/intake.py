"""M17: a complaint is received — on a dedicated complaint line, at the desk, in the portal, in
the forum or on a follow-up call — with the customer's account in their own words; heard in
person, with understanding shown and an explanation given; and routed to the level that handles
it (M18)."""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from propdesk.core.errors import DomainError, NotFound
from propdesk.core.permissions import require
from propdesk.core.scoping import can_see_office
from propdesk.org.models import COMPANY_ROLES, Role, User
from propdesk.tickets.models import Channel, Ticket
from propdesk.tickets.services import (
    attach_photos,
    checked_photos,
    ticket_follow_complaint,
    ticket_receive_complaint,
)

from .. import rules
from ..models import Complaint, Escalation
from .common import handlers, record, required, tell_staff

Owner, Severity, State = Complaint.Owner, Complaint.Severity, Complaint.State
MAX_AMOUNT = Decimal("1000000")

NEW_COMPLAINT = (
    _("New complaint %(number)s"),
    _(
        "A complaint from %(customer)s (%(office)s): %(summary)s. First response due by %(first_due)s."
    ),
)


def money(value, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise DomainError(_("Enter an amount in yuan."), code="invalid", field=field) from None
    if not amount.is_finite() or amount < 0 or amount >= MAX_AMOUNT:
        raise DomainError(
            _("Enter an amount between 0 and 999,999.99 yuan."), code="invalid", field=field
        )
    return amount.quantize(Decimal("0.01"))


def staff_named(users, *, office_id) -> list:
    """The staff a complaint is about: active, of the customer's office or of the company."""
    users = list(users or [])
    ids = {u.pk if isinstance(u, User) else u for u in users}
    found = list(User.objects.filter(pk__in=ids, is_active=True))
    if len(found) != len(ids) or any(
        u.office_id != office_id and u.role not in COMPANY_ROLES for u in found
    ):
        raise DomainError(
            _("Name staff of the customer's office or of the company."),
            code="invalid",
            field="about_staff",
        )
    return found


def against_director(staff, *, office_id) -> bool:
    return any(u.role == Role.DIRECTOR and u.office_id == office_id for u in staff)


def _check_choice(value, choices, field: str, message) -> str:
    if value not in choices:
        raise DomainError(message, code="invalid", field=field)
    return value


def _floor_severity(severity: str, *, compensation: bool, director: bool) -> str:
    """Compensation or a director complained of: at least serious (decisions.md)."""
    if (compensation or director) and severity == Severity.GENERAL:
        return Severity.SERIOUS
    return severity


def escalate_to(complaint: Complaint, to_owner: str, *, cause: str, reason: str, actor, now):
    """Move the complaint up to ``to_owner`` with its reason, on the timeline; tell the new
    handlers. (The callers check who may and that it is a step up.)"""
    from_owner = complaint.owner
    complaint.owner = to_owner
    complaint.save(update_fields=["owner", "updated_at"])
    log_escalation(
        complaint, from_owner, to_owner, cause=cause, reason=reason, actor=actor, now=now
    )


def log_escalation(complaint, from_owner, to_owner, *, cause, reason, actor, now) -> Escalation:
    escalation = Escalation.objects.create(
        complaint=complaint,
        at=now,
        actor=actor,
        from_owner=from_owner,
        to_owner=to_owner,
        cause=cause,
        reason=reason,
    )
    record(
        complaint,
        "complaint_escalated",
        actor=actor,
        now=now,
        note=f"{Complaint.Owner(to_owner).label}: {reason}",
    )
    tell_staff(
        complaint,
        "escalated",
        _("Complaint %(number)s passed to you"),
        _("Complaint %(number)s from %(customer)s (%(office)s) is now yours: %(reason)s"),
        users=handlers(complaint),
        now=now,
        key=f"escalated:{to_owner}",
        reason=reason,
    )
    return escalation


def _routing_reason(*, compensation: bool, director: bool) -> tuple[str, str]:
    if director:
        return Escalation.Cause.AGAINST_DIRECTOR, str(
            _("A complaint against the office director is handled by company leadership.")
        )
    return Escalation.Cause.COMPENSATION, str(
        _("A complaint claiming economic compensation is handled by company leadership.")
    )


def _file(
    *,
    actor,
    customer,
    channel: str,
    account: str,
    category: str,
    severity: str,
    household,
    listened: bool,
    understanding: str,
    explanation: str,
    about_staff,
    about_department,
    about_text: str,
    involves_compensation: bool,
    compensation_claimed,
    requested_deadline,
    call,
    idempotency_key,
    now,
) -> Complaint:
    account = required(account, "account", _("Write down the customer's account, in their words."))
    _check_choice(category, Complaint.Category.values, "category", _("Choose a category."))
    _check_choice(severity, Severity.values, "severity", _("Choose the severity."))
    _check_choice(channel, Channel.values, "channel", _("Choose the channel it came by."))
    understanding, explanation = (understanding or "").strip(), (explanation or "").strip()
    live = channel in rules.LIVE_CHANNELS
    if live:
        # M17: heard in person — listened to the end, understanding shown, then explained.
        if not listened:
            raise DomainError(
                _("Listen to the customer to the end before recording the complaint."),
                code="not_listened",
                field="listened",
            )
        required(understanding, "understanding", _("Note how you showed understanding."))
        required(explanation, "explanation", _("Note the explanation you gave."))
    staff = staff_named(about_staff, office_id=customer.office_id)
    if about_department is not None and about_department.company_id != customer.office.company_id:
        raise DomainError(_("Choose a department of the company."), field="about_department")
    director = against_director(staff, office_id=customer.office_id)
    claimed = money(compensation_claimed, "compensation_claimed")
    compensation = bool(involves_compensation) or claimed is not None
    severity = _floor_severity(severity, compensation=compensation, director=director)
    if requested_deadline is not None and timezone.is_naive(requested_deadline):
        raise DomainError(_("Enter a valid date and time."), field="requested_deadline")
    first_due, resolution_due = rules.clocks(severity, now)
    if requested_deadline is not None and requested_deadline > now:
        resolution_due = min(resolution_due, requested_deadline)  # M09: the customer's own
    ticket = ticket_receive_complaint(
        actor=actor,
        customer=customer,
        channel=channel,
        description=account,
        household=household,
        requested_deadline=requested_deadline,
        due_at=resolution_due,
        hidden_from=staff,
        idempotency_key=idempotency_key,
        call=call,
        now=now,
    )
    if hasattr(ticket, "complaint"):
        return ticket.complaint  # the same key again: the complaint already filed
    floor = rules.floor(involves_compensation=compensation, against_director=director)
    complaint = Complaint.objects.create(
        ticket=ticket,
        office_id=customer.office_id,
        customer=customer,
        account=account,
        listened=bool(listened),
        understanding=understanding,
        explanation=explanation,
        category=category,
        severity=severity,
        about_department=about_department,
        about_text=(about_text or "").strip()[:200],
        against_director=director,
        involves_compensation=compensation,
        compensation_claimed=claimed,
        owner=floor,
        state=State.RECEIVED,
        first_response_due_at=first_due,
    )
    complaint.about_staff.set(staff)
    if floor != Owner.SERVICE_CENTER:
        # M18: routed up at once, and the routing is on the timeline like any escalation.
        cause, reason = _routing_reason(compensation=compensation, director=director)
        log_escalation(
            complaint, Owner.SERVICE_CENTER, floor, cause=cause, reason=reason, actor=None, now=now
        )
    else:
        tell_staff(
            complaint,
            "new",
            *NEW_COMPLAINT,
            users=handlers(complaint).exclude(pk=getattr(actor, "pk", None)),
            now=now,
            key="new",
        )
    if live:
        complaint.state, complaint.first_responded_at = State.IN_PROGRESS, now
        complaint.save(update_fields=["state", "first_responded_at", "updated_at"])
        complaint.ticket = ticket_follow_complaint(
            ticket=ticket, action="complaint_respond", actor=actor, now=now, note=explanation
        )
    return complaint


@transaction.atomic
def complaint_file(
    *,
    actor,
    customer,
    channel: str,
    account: str,
    category: str,
    severity: str = Severity.GENERAL,
    household=None,
    listened: bool = False,
    understanding: str = "",
    explanation: str = "",
    about_staff=(),
    about_department=None,
    about_text: str = "",
    involves_compensation: bool = False,
    compensation_claimed=None,
    requested_deadline: dt.datetime | None = None,
    call=None,
    idempotency_key: str | None = None,
    now: dt.datetime | None = None,
) -> Complaint:
    """Staff record a complaint (on a complaint line, at the desk, on a visit or a follow-up
    call, from the forum). With an ``idempotency_key`` a retry returns the first."""
    now = now or timezone.now()
    if not can_see_office(actor, customer.office_id):
        raise NotFound(field="customer")
    require(actor, "complaint.file", customer)
    if channel == Channel.PORTAL:
        raise DomainError(_("Customers file complaints in the portal themselves."), field="channel")
    if idempotency_key:
        existing = Complaint.objects.filter(
            ticket__created_by=actor, ticket__idempotency_key=idempotency_key
        ).first()
        if existing:
            return existing
    return _file(
        actor=actor,
        customer=customer,
        channel=channel,
        account=account,
        category=category,
        severity=severity,
        household=household,
        listened=listened,
        understanding=understanding,
        explanation=explanation,
        about_staff=about_staff,
        about_department=about_department,
        about_text=about_text,
        involves_compensation=involves_compensation,
        compensation_claimed=compensation_claimed,
        requested_deadline=requested_deadline,
        call=call,
        idempotency_key=idempotency_key,
        now=now,
    )


def complaint_file_by_customer(
    *,
    customer,
    account: str,
    category: str,
    household=None,
    involves_compensation: bool = False,
    compensation_claimed=None,
    requested_deadline: dt.datetime | None = None,
    photos=(),
    idempotency_key: str | None = None,
    now: dt.datetime | None = None,
) -> Complaint:
    """The customer files a complaint in the portal, with up to five photos. It waits for the
    service center's first response, on the clock."""
    now = now or timezone.now()
    if idempotency_key:
        existing = Complaint.objects.filter(
            customer=customer,
            ticket__created_by=None,
            ticket__idempotency_key=idempotency_key,
        ).first()
        if existing:
            return existing
    photos = checked_photos(photos)
    try:
        with transaction.atomic():
            complaint = _file(
                actor=None,
                customer=customer,
                channel=Channel.PORTAL,
                account=account,
                category=category,
                severity=Severity.GENERAL,
                household=household,
                listened=False,
                understanding="",
                explanation="",
                about_staff=(),
                about_department=None,
                about_text="",
                involves_compensation=involves_compensation,
                compensation_claimed=compensation_claimed,
                requested_deadline=requested_deadline,
                call=None,
                idempotency_key=idempotency_key,
                now=now,
            )
            attach_photos(complaint.ticket, photos, now=now)
    except IntegrityError:
        ticket = Ticket.objects.filter(
            customer=customer, created_by=None, idempotency_key=idempotency_key
        ).first()
        if idempotency_key and ticket is not None and hasattr(ticket, "complaint"):
            return ticket.complaint
        raise
    return complaint
