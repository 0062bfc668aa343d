"""Every change to a request goes through one of these functions.

Each is atomic, checks the actor's permission and the lifecycle table, locks the request row,
refuses a change made against an older version (409), saves with ``update_fields``, and writes
its timeline event; django-simple-history keeps the audit row. Views, the API, tasks and
commands all call these; none re-implements them.
"""

import datetime as dt
import hashlib
import secrets
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from propdesk.catalog.models import ServiceItem
from propdesk.core.errors import Conflict, DomainError, NotFound
from propdesk.core.permissions import require
from propdesk.core.scoping import can_see_office
from propdesk.core.uploads import validate_photo
from propdesk.org.models import Role

from . import events, signals
from .lifecycle import ANSWERABLE_KINDS, TRANSITIONS, action_label, reworkable
from .models import (
    Assignment,
    Channel,
    Charge,
    ChecklistStep,
    Contact,
    Extension,
    ExtensionProposal,
    Kind,
    Priority,
    Quote,
    QuoteLine,
    ReworkSource,
    Status,
    Ticket,
    TicketPhoto,
    TicketRecusal,
)
from .notifications import office_desk, portal_link, quote_link, tell_customer, tell_staff

QUOTE_VALID_HOURS = 72
REWORK_DUE_HOURS = 24  # M15: rework and its special follow-up within 24 hours
DEFAULT_DUE_HOURS = 24
MONEY = Decimal("0.01")


# --- helpers ----------------------------------------------------------------------------------


def _required(value: str, field: str, message) -> str:
    text = (value or "").strip()
    if not text:
        raise DomainError(message, code="required", field=field)
    return text


# The largest amounts the money (10 digits) and quantity (8 digits) columns hold.
MAX_AMOUNT = Decimal("99999999.99")
MAX_QUANTITY = Decimal("999999.99")


def _money(value, field: str, *, limit: Decimal = MAX_AMOUNT) -> Decimal:
    try:
        amount = Decimal(str(value)).quantize(MONEY)
    except (InvalidOperation, ValueError, TypeError):
        raise DomainError(
            _("Enter an amount in yuan, e.g. 80.00."), code="invalid", field=field
        ) from None
    if amount < 0:
        raise DomainError(_("The amount cannot be negative."), code="invalid", field=field)
    if amount > limit:
        raise DomainError(
            _("This is more than %(limit)s.") % {"limit": limit}, code="too_large", field=field
        )
    return amount


def _aware(value: dt.datetime, field: str) -> dt.datetime:
    if not isinstance(value, dt.datetime):
        raise DomainError(_("Enter a date and time."), code="invalid", field=field)
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def _locked(ticket: Ticket, expected_version: int | None) -> Ticket:
    """Lock the request's row and re-read it; refuse a change made against an older version."""
    fresh = (
        Ticket.objects.select_for_update(of=("self",))
        .select_related("item", "office")
        .get(pk=ticket.pk)
    )
    if expected_version is not None and fresh.version != expected_version:
        raise Conflict(
            _("Someone else changed this request meanwhile. Reload it and try again."),
            code="stale_version",
            field="version",
        )
    return fresh


# What may be done to a complaint's request as a request: the rest is the complaint's handling.
COMPLAINT_ACTIONS = frozenset(
    {
        "record_contact",
        "extend",
        "complaint_respond",
        "complaint_resolve",
        "complaint_reopen",
        "complaint_close",
    }
)


def _check(ticket: Ticket, action: str) -> None:
    if ticket.kind == Kind.COMPLAINT and action not in COMPLAINT_ACTIONS:
        raise Conflict(
            _("A complaint is handled on its complaint page, not as a work order."),
            code="complaint_request",
            field="kind",
        )
    if ticket.status not in TRANSITIONS[action].sources:
        raise Conflict(
            _("%(action)s is not allowed while the request is “%(status)s”.")
            % {"action": action_label(action), "status": ticket.get_status_display()},
            code="transition_not_allowed",
            field="status",
        )


def _save(ticket: Ticket, actor, fields) -> None:
    ticket.version += 1
    ticket._history_user = actor
    ticket.save(update_fields=[*fields, "version", "updated_at"])


def _move(
    ticket: Ticket, action: str, *, actor, now, event: str, fields=(), note: str = ""
) -> None:
    """Apply ``action``'s transition, save ``fields`` with it, and write the timeline event."""
    old = ticket.status
    target = TRANSITIONS[action].target
    if target:
        ticket.status = target
    _save(ticket, actor, [*fields, "status"])
    events.record(
        ticket=ticket,
        kind=event,
        actor=actor,
        at=now,
        from_status=old,
        to_status=ticket.status,
        note=note,
    )


def _stage_for(ticket: Ticket | None) -> str:
    if ticket is None or ticket.status in (
        Status.NEW,
        Status.CONFIRMED,
        Status.QUOTED,
        Status.ACCEPTED,
    ):
        return Contact.Stage.BEFORE
    if ticket.status in (Status.DISPATCHED, Status.IN_PROGRESS):
        return Contact.Stage.DURING
    return Contact.Stage.AFTER


def _contact(
    *,
    ticket: Ticket,
    actor,
    now,
    summary: str,
    direction: str,
    channel: str | None = None,
    stage: str | None = None,
    call=None,
) -> Contact:
    return Contact.objects.create(
        office_id=ticket.office_id,
        customer_id=ticket.customer_id,
        household_id=ticket.household_id,
        ticket=ticket,
        call=call,
        channel=channel or ticket.channel,
        direction=direction,
        stage=stage or _stage_for(ticket),
        staff=actor,
        at=now,
        summary=summary,
    )


def _current_assignment(ticket: Ticket) -> Assignment | None:
    return ticket.assignments.filter(ended_at__isnull=True).first()


def _end_assignment(ticket: Ticket, reason: str, now, note: str = "") -> None:
    ticket.assignments.filter(ended_at__isnull=True).update(
        ended_at=now, end_reason=reason, end_note=note
    )


def _check_technician(ticket: Ticket, technician) -> None:
    if (
        technician is None
        or technician.role != Role.TECHNICIAN
        or not technician.is_active
        or technician.office_id != ticket.office_id
    ):
        raise DomainError(
            _("Choose an active technician of this request's office."),
            code="invalid",
            field="technician",
        )


def _item_for_office(item: ServiceItem | None, office_id) -> ServiceItem | None:
    if item is None:
        return None
    if not item.is_active or (item.office_id is not None and item.office_id != office_id):
        raise DomainError(
            _("This service item is not offered by this office."), code="invalid", field="item"
        )
    return item


def _number(ticket: Ticket) -> str:
    # Date plus the row id: unique without a counter table that every writer would contend on.
    return f"{timezone.localtime(ticket.created_at):%y%m%d}{ticket.pk:06d}"


# --- intake -------------------------------------------------------------------------------


def ticket_create(
    *,
    actor,
    customer,
    kind: str,
    channel: str,
    description: str,
    household=None,
    item: ServiceItem | None = None,
    requested_deadline: dt.datetime | None = None,
    priority: str = Priority.NORMAL,
    idempotency_key: str | None = None,
    call=None,
    now: dt.datetime | None = None,
) -> Ticket:
    """Receive a request from any channel. With an ``idempotency_key``, a retry returns the first."""
    now = now or timezone.now()
    if not can_see_office(actor, customer.office_id):
        raise NotFound(field="customer")
    require(actor, "ticket.create", customer)
    if kind == Kind.COMPLAINT:
        raise DomainError(
            _("Record a complaint through the complaint intake: it is heard and routed there."),
            code="use_complaint_intake",
            field="kind",
        )
    if idempotency_key:
        existing = Ticket.objects.filter(created_by=actor, idempotency_key=idempotency_key).first()
        if existing:
            return existing
    return _receive(
        actor=actor,
        customer=customer,
        kind=kind,
        channel=channel,
        description=description,
        household=household,
        item=item,
        requested_deadline=requested_deadline,
        priority=priority,
        idempotency_key=idempotency_key,
        call=call,
        now=now,
    )


MAX_PHOTOS = 5


def ticket_create_by_customer(
    *,
    customer,
    description: str,
    kind: str | None = None,
    household=None,
    item: ServiceItem | None = None,
    requested_deadline: dt.datetime | None = None,
    photos=(),
    idempotency_key: str | None = None,
    now: dt.datetime | None = None,
) -> Ticket:
    """A customer files a request in the portal, with up to five photos of the problem.

    A service item decides the kind (a repair item makes a repair, any other a service); without
    one, the customer says what it is about. With an ``idempotency_key``, an app's retry returns
    the first request instead of filing it twice."""
    now = now or timezone.now()
    if item is not None:
        kind = Kind.REPAIR if item.category.kind == "repair" else Kind.SERVICE
    if idempotency_key:
        existing = _customers_request(customer, idempotency_key)
        if existing:
            return existing
    photos = list(photos)
    if len(photos) > MAX_PHOTOS:
        raise DomainError(
            _("At most %(n)d photos.") % {"n": MAX_PHOTOS}, code="too_many_photos", field="photos"
        )
    for photo in photos:
        validate_photo(photo, field="photos")  # every one checked before anything is written
    with transaction.atomic():
        ticket = _receive(
            actor=None,
            customer=customer,
            kind=kind or Kind.SERVICE,
            channel=Channel.PORTAL,
            description=description,
            household=household,
            item=item,
            requested_deadline=requested_deadline,
            priority=Priority.NORMAL,
            idempotency_key=idempotency_key,
            call=None,
            now=now,
        )
        for photo in photos:
            TicketPhoto.objects.create(ticket=ticket, image=photo, created_at=now)
    return ticket


def _receive(
    *,
    actor,
    customer,
    kind,
    channel,
    description,
    household,
    item,
    requested_deadline,
    priority,
    idempotency_key,
    call,
    now,
    due_at: dt.datetime | None = None,
    hidden_from=(),
    tell_desk: bool = True,
) -> Ticket:
    """What every new request goes through, whoever files it: checks, the record, its timeline,
    the contact log, and the acknowledgement. ``hidden_from``: staff who may not see it (a
    complaint about them), recused before anyone is told of it."""
    if kind not in Kind.values:
        raise DomainError(_("Choose what kind of request this is."), code="invalid", field="kind")
    if channel not in Channel.values:
        raise DomainError(
            _("Choose the channel the request came by."), code="invalid", field="channel"
        )
    if priority not in Priority.values:
        raise DomainError(_("Choose a priority."), code="invalid", field="priority")
    description = _required(description, "description", _("Describe what the customer needs."))
    households = list(customer.households.filter(is_active=True))
    if household is None:
        household = households[0] if len(households) == 1 else None
    elif household.pk not in {h.pk for h in households}:
        raise DomainError(
            _("This household is not the customer's."), code="invalid", field="household"
        )
    item = _item_for_office(item, customer.office_id)
    if requested_deadline is not None:
        requested_deadline = _aware(requested_deadline, "requested_deadline")
        if requested_deadline <= now:
            raise DomainError(
                _("The deadline must be in the future."),
                code="deadline_in_past",
                field="requested_deadline",
            )
    hours = item.default_completion_hours if item else DEFAULT_DUE_HOURS
    ticket = Ticket(
        office_id=customer.office_id,
        kind=kind,
        channel=channel,
        priority=priority,
        customer=customer,
        household=household,
        item=item,
        description=description,
        requested_deadline=requested_deadline,
        due_at=due_at or requested_deadline or now + dt.timedelta(hours=hours),
        created_by=actor,
        idempotency_key=idempotency_key or None,
    )
    ticket._history_user = actor
    try:
        with transaction.atomic():
            ticket.save()
            ticket.number = _number(ticket)
            ticket.save(update_fields=["number"])
            ticket_recuse(ticket=ticket, users=hidden_from, now=now)
            events.record(
                ticket=ticket,
                kind="created",
                actor=actor,
                at=now,
                note=ticket.get_channel_display(),
            )
            _contact(
                ticket=ticket,
                actor=actor,
                now=now,
                summary=description,
                direction=Contact.Direction.INBOUND,
                call=call,
            )
            tell_customer(ticket, "received", now=now)
            if tell_desk:
                tell_staff(ticket, "new_in_office", users=office_desk(ticket), now=now)
    except IntegrityError:
        # The same key raced in from a second request: answer with the one that won.
        if idempotency_key:
            existing = (
                Ticket.objects.filter(created_by=actor, idempotency_key=idempotency_key).first()
                if actor is not None
                else _customers_request(customer, idempotency_key)
            )
            if existing:
                return existing
        raise
    return ticket


def ticket_receive_complaint(
    *,
    actor,
    customer,
    channel: str,
    description: str,
    household=None,
    requested_deadline: dt.datetime | None = None,
    due_at: dt.datetime,
    hidden_from=(),
    idempotency_key: str | None = None,
    call=None,
    now: dt.datetime,
) -> Ticket:
    """The request behind a complaint, for the complaints intake (which checks who may file and
    decides the deadline): received like any request, hidden from the staff it is about."""
    return _receive(
        actor=actor,
        customer=customer,
        kind=Kind.COMPLAINT,
        channel=channel,
        description=description,
        household=household,
        item=None,
        requested_deadline=requested_deadline,
        priority=Priority.HIGH,
        idempotency_key=idempotency_key,
        call=call,
        now=now,
        due_at=due_at,
        hidden_from=hidden_from,
        tell_desk=False,  # the complaint tells its own handlers, at its level
    )


def ticket_recuse(*, ticket: Ticket, users, reason: str = "", now) -> None:
    """Hide the request from these staff (M18). Adding someone twice changes nothing."""
    TicketRecusal.objects.bulk_create(
        [
            TicketRecusal(
                ticket=ticket,
                user=user,
                reason=(reason or str(_("The complaint is about them.")))[:200],
                created_at=now,
            )
            for user in users
        ],
        ignore_conflicts=True,
    )


def ticket_follow_complaint(*, ticket: Ticket, action: str, actor, now, note: str = "") -> Ticket:
    """Move a complaint's request with its complaint (the complaints services decide who may):
    being handled, resolved, reopened, closed. Every other request action is refused on a
    complaint (``lifecycle``)."""
    ticket = _locked(ticket, None)
    _check(ticket, action)
    fields = []
    if action == "complaint_resolve":
        ticket.completed_at = now
        fields.append("completed_at")
    elif action == "complaint_close":
        ticket.closed_at = now
        fields.append("closed_at")
    _move(ticket, action, actor=actor, now=now, event=action, note=note, fields=fields)
    return ticket


def _customers_request(customer, idempotency_key: str) -> Ticket | None:
    return Ticket.objects.filter(
        customer=customer, created_by=None, idempotency_key=idempotency_key
    ).first()


def _said_to_customer(ticket, action, *, event, fields, text, actor, now, channel) -> None:
    """Apply ``action`` and record what was said to the customer before service (M08): as the
    timeline note and as an outbound contact."""
    _move(ticket, action, actor=actor, now=now, event=event, fields=fields, note=text)
    _contact(
        ticket=ticket,
        actor=actor,
        now=now,
        summary=text,
        direction=Contact.Direction.OUTBOUND,
        channel=channel,
        stage=Contact.Stage.BEFORE,
    )


@transaction.atomic
def ticket_confirm(
    *,
    actor,
    ticket: Ticket,
    confirmation: str,
    channel: str | None = None,
    expected_version: int | None = None,
    now=None,
) -> Ticket:
    """M08: the content and requirements are confirmed with the customer, and recorded."""
    now = now or timezone.now()
    require(actor, "ticket.confirm", ticket)
    confirmation = _required(
        confirmation, "confirmation", _("Write down what was confirmed with the customer.")
    )
    ticket = _locked(ticket, expected_version)
    _check(ticket, "confirm")
    ticket.confirmation = confirmation
    ticket.confirmed_at = now
    _said_to_customer(
        ticket,
        "confirm",
        event="confirmed",
        fields=["confirmation", "confirmed_at"],
        text=confirmation,
        actor=actor,
        now=now,
        channel=channel,
    )
    tell_customer(ticket, "confirmed", now=now, note=confirmation)
    return ticket


@transaction.atomic
def ticket_answer(
    *,
    actor,
    ticket: Ticket,
    answer: str,
    channel: str | None = None,
    expected_version: int | None = None,
    now=None,
) -> Ticket:
    """M08: an inquiry (or suggestion, or praise) answered in detail; the answer is recorded."""
    now = now or timezone.now()
    require(actor, "ticket.answer", ticket)
    answer = _required(answer, "answer", _("Write down the answer given to the customer."))
    ticket = _locked(ticket, expected_version)
    if ticket.kind not in ANSWERABLE_KINDS:
        raise Conflict(
            _("Only inquiries, suggestions and praise are closed with an answer."),
            code="not_answerable",
            field="kind",
        )
    _check(ticket, "answer")
    ticket.answer = answer
    ticket.closed_at = now
    _said_to_customer(
        ticket,
        "answer",
        event="answered",
        fields=["answer", "closed_at"],
        text=answer,
        actor=actor,
        now=now,
        channel=channel,
    )
    return ticket


@transaction.atomic
def ticket_decline(
    *,
    actor,
    ticket: Ticket,
    explanation: str,
    channel: str | None = None,
    expected_version: int | None = None,
    now=None,
) -> Ticket:
    """M08: outside the service scope — the explanation given to the customer is recorded."""
    now = now or timezone.now()
    require(actor, "ticket.decline", ticket)
    explanation = _required(
        explanation, "explanation", _("Write down the explanation given to the customer.")
    )
    ticket = _locked(ticket, expected_version)
    _check(ticket, "decline")
    ticket.decline_explanation = explanation
    ticket.closed_at = now
    _said_to_customer(
        ticket,
        "decline",
        event="declined",
        fields=["decline_explanation", "closed_at"],
        text=explanation,
        actor=actor,
        now=now,
        channel=channel,
    )
    return ticket


# --- fees (M10) -----------------------------------------------------------------------------


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _quote_line(office_id, line: dict, index: int) -> QuoteLine:
    field = f"lines[{index}]"
    item = _item_for_office(line.get("item"), office_id)
    if item is None:
        raise DomainError(
            _("Choose a catalogue item for each line."), code="required", field=f"{field}.item"
        )
    quantity = _money(line.get("quantity", 1), f"{field}.quantity", limit=MAX_QUANTITY)
    if quantity <= 0:
        raise DomainError(
            _("The quantity must be more than zero."), code="invalid", field=f"{field}.quantity"
        )
    price = item.price
    given = line.get("unit_price")
    if given not in (None, ""):
        given = _money(given, f"{field}.unit_price")
        if item.pricing == ServiceItem.Pricing.FROM:
            if given < item.price:
                raise DomainError(
                    _("The price cannot be below the catalogue's “from” price of ¥%(price)s.")
                    % {"price": item.price},
                    code="below_catalogue_price",
                    field=f"{field}.unit_price",
                )
            price = given
        elif given != item.price:
            raise DomainError(
                _("The price must be the catalogue price of ¥%(price)s.") % {"price": item.price},
                code="not_catalogue_price",
                field=f"{field}.unit_price",
            )
    description = (line.get("description") or "").strip() or item.name
    return QuoteLine(
        item=item,
        description=description[:120],
        quantity=quantity,
        unit_price=price,
        amount=(quantity * price).quantize(MONEY),
    )


@transaction.atomic
def quote_create(
    *,
    actor,
    ticket: Ticket,
    lines: list[dict],
    valid_hours: int = QUOTE_VALID_HOURS,
    expected_version: int | None = None,
    now=None,
) -> tuple[Quote, str]:
    """Show the fee standard to the customer before the work. Returns the quote and the one-time
    token for the customer's link; only its hash is stored."""
    now = now or timezone.now()
    require(actor, "ticket.quote", ticket)
    ticket = _locked(ticket, expected_version)
    _check(ticket, "quote")
    if not lines:
        raise DomainError(_("Add at least one line to the quote."), code="required", field="lines")
    built = [_quote_line(ticket.office_id, line, i) for i, line in enumerate(lines)]
    for i, line in enumerate(built):
        _money(line.amount, f"lines[{i}].quantity")  # the line's amount must fit too
    total = _money(sum((line.amount for line in built), Decimal("0")), "lines")
    if total <= 0:
        raise DomainError(_("A quote must come to more than zero."), code="invalid", field="lines")
    ticket.quotes.filter(state=Quote.State.SENT).update(state=Quote.State.WITHDRAWN)
    token = secrets.token_urlsafe(24)
    terms = "; ".join(
        f"{line.description}: {line.item.price_label} × {line.quantity.normalize()} = ¥{line.amount}"
        for line in built
    )
    quote = Quote.objects.create(
        ticket=ticket,
        total=total,
        terms=terms,
        token_hash=token_hash(token),
        expires_at=now + dt.timedelta(hours=valid_hours),
        created_by=actor,
    )
    for line in built:
        line.quote = quote
    QuoteLine.objects.bulk_create(built)
    _move(ticket, "quote", actor=actor, now=now, event="quoted", note=f"¥{total} — {terms}")
    _contact(
        ticket=ticket,
        actor=actor,
        now=now,
        direction=Contact.Direction.OUTBOUND,
        summary=str(_("Fee standard shown: %(terms)s; total ¥%(total)s"))
        % {"terms": terms, "total": total},
    )
    tell_customer(
        ticket,
        "quoted",
        now=now,
        link=quote_link(token),
        total=total,
        terms=terms,
        expires=timezone.localtime(quote.expires_at).strftime("%Y-%m-%d %H:%M"),
    )
    return quote, token


def _answer_quote(
    *,
    quote: Quote,
    accepted: bool,
    via: str,
    answered_by_name: str,
    answered_at,
    actor,
    now,
    expected_version: int | None = None,
) -> Quote:
    ticket = _locked(quote.ticket, expected_version)
    quote = Quote.objects.select_for_update().get(pk=quote.pk)
    if quote.state != Quote.State.SENT:
        raise Conflict(
            _("This quote has already been answered or withdrawn."),
            code="quote_answered",
            field="quote",
        )
    if quote.is_expired(answered_at):
        raise Conflict(
            _("This quote has expired. Ask the service center for a new one."),
            code="quote_expired",
            field="quote",
        )
    _check(ticket, "accept_quote" if accepted else "reject_quote")
    quote.state = Quote.State.ACCEPTED if accepted else Quote.State.REJECTED
    quote.answered_at = answered_at
    quote.answered_via = via
    quote.answered_by_name = answered_by_name
    quote.recorded_by = actor
    quote._history_user = actor
    quote.save(
        update_fields=[
            "state",
            "answered_at",
            "answered_via",
            "answered_by_name",
            "recorded_by",
            "updated_at",
        ]
    )
    how = Quote.Via(via).label
    note = str(_("%(how)s, by %(name)s")) % {
        "how": how,
        "name": answered_by_name or ticket.customer.name,
    }
    if accepted:
        _move(ticket, "accept_quote", actor=actor, now=now, event="quote_accepted", note=note)
    else:
        _move(ticket, "reject_quote", actor=actor, now=now, event="quote_rejected", note=note)
    _contact(
        ticket=ticket,
        actor=actor,
        now=now,
        direction=Contact.Direction.INBOUND,
        channel=Channel.PORTAL if via in (Quote.Via.LINK, Quote.Via.PORTAL) else None,
        summary=f"{events.label('quote_accepted' if accepted else 'quote_rejected')}: ¥{quote.total} ({note})",
    )
    return quote


@transaction.atomic
def quote_answer_by_link(
    *, token: str, accepted: bool, answered_by_name: str = "", now=None
) -> Quote:
    """The customer answers through the one-time link they were sent."""
    now = now or timezone.now()
    try:
        quote = Quote.objects.select_related("ticket__customer").get(
            token_hash=token_hash(token or "")
        )
    except Quote.DoesNotExist:
        raise NotFound(_("This link is not valid.")) from None
    return _answer_quote(
        quote=quote,
        accepted=accepted,
        via=Quote.Via.LINK,
        answered_by_name=answered_by_name or quote.ticket.customer.name,
        answered_at=now,
        actor=None,
        now=now,
    )


@transaction.atomic
def quote_record_answer(
    *,
    actor,
    quote: Quote,
    accepted: bool,
    via: str,
    answered_by_name: str,
    answered_at=None,
    expected_version: int | None = None,
    now=None,
) -> Quote:
    """Staff record the customer's answer given by phone or in person: how, when and by whom."""
    now = now or timezone.now()
    require(actor, "ticket.record_acceptance", quote.ticket)
    if via not in (Quote.Via.PHONE, Quote.Via.IN_PERSON):
        raise DomainError(
            _("Say how the customer answered: by phone or in person."), code="invalid", field="via"
        )
    answered_by_name = _required(
        answered_by_name, "answered_by_name", _("Who answered for the customer?")
    )
    answered_at = _aware(answered_at, "answered_at") if answered_at else now
    if answered_at > now or answered_at < quote.created_at:
        raise DomainError(
            _("The answer's time must be after the quote was sent and not in the future."),
            code="invalid",
            field="answered_at",
        )
    return _answer_quote(
        quote=quote,
        accepted=accepted,
        via=via,
        answered_by_name=answered_by_name,
        answered_at=answered_at,
        actor=actor,
        now=now,
        expected_version=expected_version,
    )


@transaction.atomic
def quote_answer_by_customer(*, customer, quote: Quote, accepted: bool, now=None) -> Quote:
    """The customer answers the fee in the portal, signed in as themselves."""
    now = now or timezone.now()
    if quote.ticket.customer_id != customer.pk:
        raise NotFound(field="quote")
    return _answer_quote(
        quote=quote,
        accepted=accepted,
        via=Quote.Via.PORTAL,
        answered_by_name=customer.name,
        answered_at=now,
        actor=None,
        now=now,
    )


# --- dispatch --------------------------------------------------------------------------------


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
    if (
        ticket.needs_fee_acceptance
        and not ticket.quotes.filter(state=Quote.State.ACCEPTED).exists()
    ):
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


# --- the work (M11) --------------------------------------------------------------------------


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


# --- deadlines (M09) ------------------------------------------------------------------------


@transaction.atomic
def ticket_extend(
    *,
    actor,
    ticket: Ticket,
    new_due_at: dt.datetime,
    reason: str,
    customer_agreed: bool,
    contact_id: int | None = None,
    contact_summary: str = "",
    channel: str = Channel.HOTLINE,
    expected_version: int | None = None,
    now=None,
) -> Extension:
    """Move the deadline — only after a proactive contact with the customer before it passes,
    recorded with the new deadline the customer agreed to."""
    now = now or timezone.now()
    require(actor, "ticket.extend", ticket)
    ticket = _locked(ticket, expected_version)
    _check(ticket, "extend")
    new_due_at = _check_new_deadline(ticket, new_due_at, now)
    reason = _required(reason, "reason", _("Say why more time is needed."))
    if not customer_agreed:
        raise DomainError(
            _("An extension needs the customer's agreement to the new deadline."),
            code="not_agreed",
            field="customer_agreed",
        )
    if contact_id:
        contact = ticket.contacts.filter(
            pk=contact_id, direction=Contact.Direction.OUTBOUND, at__lt=ticket.due_at, at__lte=now
        ).first()
        if contact is None:
            raise DomainError(
                _(
                    "Choose a contact we made with the customer about this request before the "
                    "deadline."
                ),
                code="invalid",
                field="contact",
            )
    elif (contact_summary or "").strip():
        contact = _contact(
            ticket=ticket,
            actor=actor,
            now=now,
            summary=contact_summary.strip(),
            direction=Contact.Direction.OUTBOUND,
            channel=channel,
        )
    else:
        raise DomainError(
            _("Record the proactive contact with the customer about the delay first."),
            code="contact_required",
            field="contact",
        )
    extension = Extension.objects.create(
        ticket=ticket,
        contact=contact,
        old_due_at=ticket.due_at,
        new_due_at=new_due_at,
        reason=reason,
        created_by=actor,
        created_at=now,
    )
    ticket.due_at = new_due_at
    _move(
        ticket,
        "extend",
        actor=actor,
        now=now,
        event="extended",
        fields=["due_at"],
        note=f"{timezone.localtime(extension.old_due_at):%Y-%m-%d %H:%M} → "
        f"{timezone.localtime(new_due_at):%Y-%m-%d %H:%M}: {reason}",
    )
    # Agreed by phone or in person: a question still waiting in the portal no longer applies.
    ticket.extension_proposals.filter(state=ExtensionProposal.State.WAITING).update(
        state=ExtensionProposal.State.WITHDRAWN
    )
    tell_customer(ticket, "extended", now=now, note=reason)
    return extension


def _check_new_deadline(ticket: Ticket, new_due_at, now) -> dt.datetime:
    if now >= ticket.due_at:
        raise Conflict(
            _(
                "The deadline has already passed: an extension must be agreed with the customer "
                "before the deadline."
            ),
            code="deadline_passed",
            field="new_due_at",
        )
    new_due_at = _aware(new_due_at, "new_due_at")
    if new_due_at <= ticket.due_at:
        raise DomainError(
            _("The new deadline must be later than the current one."),
            code="invalid",
            field="new_due_at",
        )
    return new_due_at


@transaction.atomic
def extension_propose(
    *,
    actor,
    ticket: Ticket,
    new_due_at: dt.datetime,
    reason: str,
    expected_version: int | None = None,
    now=None,
) -> ExtensionProposal:
    """Put a new deadline to the customer, who agrees or refuses in the portal (M09).

    The message itself is the proactive contact, made before the deadline; the deadline moves
    only when the customer agrees. A new proposal replaces one still waiting."""
    now = now or timezone.now()
    require(actor, "ticket.extend", ticket)
    ticket = _locked(ticket, expected_version)
    _check(ticket, "extend")
    new_due_at = _check_new_deadline(ticket, new_due_at, now)
    reason = _required(reason, "reason", _("Say why more time is needed."))
    ticket.extension_proposals.filter(state=ExtensionProposal.State.WAITING).update(
        state=ExtensionProposal.State.WITHDRAWN
    )
    new_due_text = f"{timezone.localtime(new_due_at):%Y-%m-%d %H:%M}"
    contact = _contact(
        ticket=ticket,
        actor=actor,
        now=now,
        summary=str(_("Proposed a new deadline, %(due)s: %(reason)s"))
        % {"due": new_due_text, "reason": reason},
        direction=Contact.Direction.OUTBOUND,
        channel=Channel.PORTAL,
    )
    proposal = ExtensionProposal.objects.create(
        ticket=ticket,
        contact=contact,
        old_due_at=ticket.due_at,
        new_due_at=new_due_at,
        reason=reason,
        proposed_by=actor,
        proposed_at=now,
    )
    # The request itself does not change; its version moves so open forms see something happened.
    _save(ticket, actor, [])
    events.record(
        ticket=ticket,
        kind="extension_proposed",
        actor=actor,
        at=now,
        note=f"{new_due_text}: {reason}",
    )
    tell_customer(
        ticket,
        "extension_proposed",
        now=now,
        urgent=True,  # it must reach them before the deadline, quiet hours or not
        link=portal_link(ticket),
        new_due=new_due_text,
        note=reason,
    )
    return proposal


@transaction.atomic
def extension_answer_by_customer(
    *, customer, proposal: ExtensionProposal, agreed: bool, comment: str = "", now=None
) -> ExtensionProposal:
    """The customer agrees to or refuses a proposed deadline in the portal.

    Agreement counts only before the current deadline passes (M09): after it, the request is
    late whatever the answer, and the office must call."""
    now = now or timezone.now()
    if proposal.ticket.customer_id != customer.pk:
        raise NotFound(field="proposal")
    ticket = _locked(proposal.ticket, None)
    proposal = ExtensionProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.state != ExtensionProposal.State.WAITING:
        raise Conflict(
            _("This proposal has already been answered or withdrawn."),
            code="proposal_answered",
            field="proposal",
        )
    if proposal.old_due_at != ticket.due_at or ticket.status not in TRANSITIONS["extend"].sources:
        raise Conflict(
            _("This proposal no longer applies: the request has moved on."),
            code="proposal_stale",
            field="proposal",
        )
    if agreed and now >= ticket.due_at:
        raise Conflict(
            _(
                "The deadline has passed, so this proposal can no longer be agreed to. The "
                "service center will call you."
            ),
            code="deadline_passed",
            field="proposal",
        )
    comment = (comment or "").strip()
    proposal.answered_at, proposal.answer_comment = now, comment
    _contact(
        ticket=ticket,
        actor=None,
        now=now,
        summary=str(_("Agreed to the new deadline") if agreed else _("Refused the new deadline"))
        + (f": {comment}" if comment else ""),
        direction=Contact.Direction.INBOUND,
        channel=Channel.PORTAL,
    )
    if agreed:
        proposal.state = ExtensionProposal.State.AGREED
        proposal.extension = Extension.objects.create(
            ticket=ticket,
            contact=proposal.contact,
            old_due_at=ticket.due_at,
            new_due_at=proposal.new_due_at,
            reason=proposal.reason,
            created_by=proposal.proposed_by,
            created_at=now,
        )
        ticket.due_at = proposal.new_due_at
        _move(
            ticket,
            "extend",
            actor=None,
            now=now,
            event="extended",
            fields=["due_at"],
            note=f"{timezone.localtime(proposal.old_due_at):%Y-%m-%d %H:%M} → "
            f"{timezone.localtime(proposal.new_due_at):%Y-%m-%d %H:%M}: {proposal.reason}",
        )
    else:
        proposal.state = ExtensionProposal.State.REFUSED
        _save(ticket, None, [])
        events.record(ticket=ticket, kind="extension_refused", actor=None, at=now, note=comment)
    proposal.save(update_fields=["state", "answered_at", "answer_comment", "extension"])
    tell_staff(
        ticket,
        "extension_agreed" if agreed else "extension_refused",
        users=[proposal.proposed_by],
        now=now,
        comment=comment,
    )
    return proposal


# --- completion and the customer's word --------------------------------------------------


@transaction.atomic
def ticket_complete(
    *,
    actor,
    ticket: Ticket,
    work_summary: str,
    final_charge=Decimal("0"),
    expected_version: int | None = None,
    now=None,
) -> Ticket:
    """The work is done: summary and final charge (the office's revenue, M24)."""
    now = now or timezone.now()
    require(actor, "ticket.complete", ticket)
    work_summary = _required(work_summary, "work_summary", _("Describe the work done."))
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
        accepted = ticket.quotes.filter(state=Quote.State.ACCEPTED).first()
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
    return ticket


@transaction.atomic
def ticket_customer_confirm(
    *,
    ticket: Ticket,
    satisfied: bool,
    comment: str = "",
    actor=None,
    channel: str = Channel.HOTLINE,
    expected_version: int | None = None,
    now=None,
) -> Ticket:
    """The customer confirms the result. Satisfied closes it; unsatisfied reopens it and opens a
    rework order linked to it, due within 24 hours (M15). ``actor`` is the staff member who
    recorded it, or None when the customer answered in person through the portal."""
    now = now or timezone.now()
    if actor is not None:
        require(actor, "ticket.record_satisfaction", ticket)
    comment = (comment or "").strip()
    if not satisfied and not comment:
        raise DomainError(
            _("Say what the customer is not satisfied with."), code="required", field="comment"
        )
    ticket = _locked(ticket, expected_version)
    _check(ticket, "close" if satisfied else "reopen")
    ticket.satisfied, ticket.satisfaction_comment = satisfied, comment
    summary = f"{_('Satisfied') if satisfied else _('Not satisfied')}" + (
        f": {comment}" if comment else ""
    )
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
            fields=["satisfied", "satisfaction_comment", "closed_at"],
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
        fields=["satisfied", "satisfaction_comment", "reopen_count"],
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


def _last_technician(original: Ticket):
    """Who did the original work, if he still works for its office: rework goes back to him."""
    last = original.assignments.select_related("technician").order_by("-assigned_at").first()
    technician = last.technician if last else None
    if (
        technician is None
        or not technician.is_active
        or technician.role != Role.TECHNICIAN
        or technician.office_id != original.office_id
    ):
        return None
    return technician


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
    rework.save()
    rework.number = _number(rework)
    rework.save(update_fields=["number"])
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


# --- the contacts log (M01, M04) ----------------------------------------------------------


@transaction.atomic
def contact_record(
    *,
    actor,
    customer,
    summary: str,
    channel: str,
    direction: str,
    stage: str | None = None,
    household=None,
    ticket: Ticket | None = None,
    call=None,
    at=None,
    now=None,
) -> Contact:
    """Record any interaction with a customer against the customer and household (M01)."""
    now = now or timezone.now()
    if not can_see_office(actor, customer.office_id):
        raise NotFound(field="customer")
    require(actor, "contact.record", customer)
    summary = _required(summary, "summary", _("Summarise what was said."))
    if channel not in Channel.values:
        raise DomainError(_("Choose the channel."), code="invalid", field="channel")
    if direction not in Contact.Direction.values:
        raise DomainError(_("Choose who contacted whom."), code="invalid", field="direction")
    if stage is not None and stage not in Contact.Stage.values:
        raise DomainError(
            _("Choose the stage: before, during or after service."), code="invalid", field="stage"
        )
    at = _aware(at, "at") if at else now
    if at > now:
        raise DomainError(_("A contact cannot be in the future."), code="invalid", field="at")
    if ticket is not None and ticket.customer_id != customer.pk:
        raise DomainError(_("This request is not the customer's."), code="invalid", field="ticket")
    if household is not None and not customer.residences.filter(household=household).exists():
        raise DomainError(
            _("This household is not the customer's."), code="invalid", field="household"
        )
    if household is None and ticket is not None:
        household = ticket.household
    contact = Contact.objects.create(
        office_id=customer.office_id,
        customer=customer,
        household=household,
        ticket=ticket,
        call=call,
        channel=channel,
        direction=direction,
        stage=stage or _stage_for(ticket),
        staff=actor,
        at=at,
        summary=summary,
    )
    if ticket is not None:
        events.record(
            ticket=ticket,
            kind="contact",
            actor=actor,
            at=at,
            note=f"{contact.get_channel_display()} · {contact.get_direction_display()}: {summary}",
        )
    return contact
