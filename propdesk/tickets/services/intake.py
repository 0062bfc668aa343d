"""Receiving a request: from any channel by staff, in the portal by the customer, and the request
behind a complaint, hidden from the staff it is about (M18) and moved with its complaint."""

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from propdesk.catalog.models import ServiceItem
from propdesk.core.errors import DomainError, NotFound
from propdesk.core.permissions import require
from propdesk.core.scoping import can_see_office
from propdesk.core.uploads import validate_photo
from propdesk.customers.models import Customer, Household

from .. import events
from ..lifecycle import TRANSITIONS
from ..models import (
    Channel,
    Contact,
    Kind,
    Priority,
    Status,
    Ticket,
    TicketEvent,
    TicketPhoto,
    TicketRecusal,
)
from ..notifications import office_desk, tell_customer, tell_staff
from ._common import (
    _aware,
    _check,
    _contact,
    _insert_numbered,
    _item_for_office,
    _locked,
    _move,
    _required,
)

DEFAULT_DUE_HOURS = 24


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
        existing = _staff_request(actor, idempotency_key)
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


def checked_photos(photos) -> list:
    """Photos (a customer's of the problem, a technician's of the finished work), every one
    checked before anything is written: at most ``MAX_PHOTOS``, each an image we take."""
    photos = list(photos)
    if len(photos) > MAX_PHOTOS:
        raise DomainError(
            _("At most %(n)d photos.") % {"n": MAX_PHOTOS}, code="too_many_photos", field="photos"
        )
    for photo in photos:
        validate_photo(photo, field="photos")
    return photos


def attach_photos(ticket: Ticket, photos, *, now: dt.datetime) -> list[int]:
    """The customer's photos of the problem, on the request; returns their ids."""
    return [
        TicketPhoto.objects.create(ticket=ticket, image=photo, created_at=now).pk
        for photo in photos
    ]


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
    return _receive(
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
        photos=checked_photos(photos),
    )


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
    photos=(),
) -> Ticket:
    """What every new request goes through, whoever files it: checks, the record, its timeline,
    the contact log, and the acknowledgement, in one transaction. ``hidden_from``: staff who may
    not see it (a complaint about them), recused before anyone is told of it. ``photos``: the
    customer's, checked already (``checked_photos``)."""
    if kind not in Kind.values:
        raise DomainError(_("Choose what kind of request this is."), code="invalid", field="kind")
    if channel not in Channel.values:
        raise DomainError(
            _("Choose the channel the request came by."), code="invalid", field="channel"
        )
    if priority not in Priority.values:
        raise DomainError(_("Choose a priority."), code="invalid", field="priority")
    description = _required(description, "description", _("Describe what the customer needs."))
    # With the address, which the acknowledgements and the answer show.
    households = list(
        Household.objects.of_customer(customer).select_related("unit__building__community")
    )
    if household is None:
        household = households[0] if len(households) == 1 else None
    else:
        household = next((h for h in households if h.pk == household.pk), None)
        if household is None:
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
    if Customer.office.is_cached(customer):
        ticket.office = customer.office
    ticket._history_user = actor
    try:
        with transaction.atomic():
            _insert_numbered(ticket)
            ticket_recuse(ticket=ticket, users=hidden_from, now=now)
            event = events.record(
                ticket=ticket,
                kind="created",
                actor=actor,
                at=now,
                note=ticket.get_channel_display(),
            )
            contact = _contact(
                ticket=ticket,
                actor=actor,
                now=now,
                summary=description,
                direction=Contact.Direction.INBOUND,
                call=call,
            )
            # A request just written: no message about it can exist yet, none is looked for.
            tell_customer(ticket, "received", now=now, unseen=True)
            if tell_desk:
                desk = office_desk(ticket)
                tell_staff(ticket, "new_in_office", users=desk, now=now, unseen=True)
            photo_ids = attach_photos(ticket, photos, now=now)
    except IntegrityError:
        # The same key raced in from a second request: answer with the one that won.
        if idempotency_key:
            existing = (
                _staff_request(actor, idempotency_key)
                if actor is not None
                else _customers_request(customer, idempotency_key)
            )
            if existing:
                return existing
        raise
    ticket._received = _Received(
        event=event, contact=contact, recused=bool(hidden_from), photos=tuple(photo_ids)
    )
    return ticket


@dataclass(frozen=True)
class _Received:
    """What ``_receive`` wrote beside the request."""

    event: TicketEvent
    contact: Contact
    recused: bool
    photos: tuple[int, ...] = ()  # the customer's photos' ids


# The relations a request's detail reads (``selectors.IN_FULL``), and which of them
# ``_receive`` fills: the rest are empty on a request just received.
_FILLED = {"events": "event", "contacts": "contact"}
_EMPTY = ("quotes", "assignments", "checklist", "extensions", "extension_proposals", "reworks")


def as_received(ticket: Ticket | None) -> Ticket | None:
    """The request this process has just received, with everything its detail shows filled in
    from what was written (its timeline's first event, its first contact; nothing else yet), so
    its first answer needs no reading back. None for any other request (one found by its
    idempotency key, or not received here), which its detail then reads as usual.

    For the answer only: a request whose relations are filled in this way does not see what
    later writes add to them."""
    received = getattr(ticket, "_received", None)
    if received is None or received.recused:
        return None
    cache = ticket.__dict__.setdefault("_prefetched_objects_cache", {})
    for name in _EMPTY:
        cache[name] = _filled(ticket, name, [])
    for name, attr in _FILLED.items():
        cache[name] = _filled(ticket, name, [getattr(received, attr)])
    return ticket


def received_photos(ticket: Ticket) -> list[int]:
    """The ids of the photos that came with a request ``as_received`` gave."""
    return list(ticket._received.photos)


def _filled(ticket: Ticket, name: str, rows: list):
    # What ``prefetch_related`` leaves on the instance: the relation's queryset, already read.
    qs = getattr(ticket, name).all()
    qs._result_cache = rows
    qs._prefetch_done = True
    return qs


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
    """Move a complaint's request with its complaint, through the transitions the complaints app
    registered (``lifecycle.register_driven_kind``; the complaints services decide who may):
    being handled, resolved, reopened, closed. Every other request action is refused on a
    complaint."""
    ticket = _locked(ticket, None)
    _check(ticket, action)
    fields = []
    target = TRANSITIONS[action].target
    if target == Status.COMPLETED:
        ticket.completed_at = now
        fields.append("completed_at")
    elif target == Status.CLOSED:
        ticket.closed_at = now
        fields.append("closed_at")
    _move(ticket, action, actor=actor, now=now, event=action, note=note, fields=fields)
    return ticket


# A retry's first request: one row at most, found on its unique index (``ticket_idempotency_key``,
# ``ticket_customer_idempotency_key``), so no ordering is asked for.
def _staff_request(actor, idempotency_key: str) -> Ticket | None:
    return next(
        iter(Ticket.objects.filter(created_by=actor, idempotency_key=idempotency_key)[:1]), None
    )


def _customers_request(customer, idempotency_key: str) -> Ticket | None:
    return next(
        iter(
            Ticket.objects.filter(
                customer=customer, created_by=None, idempotency_key=idempotency_key
            )[:1]
        ),
        None,
    )
