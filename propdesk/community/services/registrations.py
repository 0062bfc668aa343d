"""Registrations and the waiting list: registering, by the customer or by staff for a caller,
cancelling, and the waiting list moving up when places free."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from propdesk.core.errors import Conflict, DomainError, NotFound
from propdesk.core.permissions import require
from propdesk.customers.models import Household

from ..lifecycle import ACTIVITIES, REGISTRATIONS
from ..models import MAX_SEATS, Activity, Registration
from ._common import E, RState, State, _locked, _locked_registration, _log, _tell, seats_taken


def in_audience(activity: Activity, customer) -> bool:
    """Does the customer live where the activity is for (the office, or its one community)?"""
    homes = Household.objects.of_customer(customer).filter(office_id=activity.office_id)
    if activity.community_id:
        homes = homes.filter(unit__building__community_id=activity.community_id)
    return homes.exists()


def _check_seats(seats) -> int:
    if not isinstance(seats, int) or isinstance(seats, bool) or not 1 <= seats <= MAX_SEATS:
        raise DomainError(
            _("Register between 1 and %(max)d people.") % {"max": MAX_SEATS},
            code="invalid_seats",
            field="seats",
        )
    return seats


def _refuse_twice(activity: Activity, customer) -> None:
    existing = activity.registrations.filter(customer=customer).exclude(state=RState.CANCELLED)
    existing = existing.first()
    if existing is None:
        return
    if existing.state == RState.WAITING:
        message = _("Already registered: on the waiting list, number %(n)d.") % {
            "n": waiting_position(existing)
        }
    else:
        message = _("Already registered: your places are confirmed.")
    raise Conflict(message, code="already_registered", field="customer")


def waiting_position(registration: Registration) -> int:
    """1 for the first on the waiting list."""
    ahead = registration.activity.registrations.filter(
        state=RState.WAITING, queued_at__lte=registration.queued_at
    ).exclude(queued_at=registration.queued_at, pk__gt=registration.pk)
    return ahead.count()


@transaction.atomic
def register(
    *,
    activity: Activity,
    customer,
    seats: int = 1,
    actor=None,
    note: str = "",
    now=None,
) -> Registration:
    """Register the customer (by themself in the portal, or by staff for a caller: ``actor``).

    Seats are given while there are enough and nobody is waiting; otherwise the registration
    joins the waiting list. Registering twice, after registration closes, or for an activity the
    customer is not invited to, is refused and changes nothing."""
    now = now or timezone.now()
    activity = _locked(activity)
    if actor is not None:
        require(actor, "activity.register", activity)
    ACTIVITIES.check(activity, "register")
    if now >= activity.registration_closes_at:
        raise Conflict(
            _("Registration for this activity has closed."),
            code="registration_closed",
            field="activity",
        )
    if not in_audience(activity, customer):
        if actor is None:
            raise NotFound()  # a customer never learns of an activity that is not for them
        raise DomainError(
            _("This customer does not live where the activity is held for."),
            code="not_invited",
            field="customer",
        )
    seats = _check_seats(seats)
    _refuse_twice(activity, customer)
    anyone_waiting = activity.registrations.filter(state=RState.WAITING).exists()
    fits = not anyone_waiting and seats_taken(activity) + seats <= activity.capacity
    registration = Registration.objects.create(
        activity=activity,
        customer=customer,
        seats=seats,
        state=RState.CONFIRMED if fits else RState.WAITING,
        channel=Registration.Channel.STAFF if actor else Registration.Channel.PORTAL,
        note=(note or "").strip()[:200],
        registered_by=actor,
        queued_at=now,
        confirmed_at=now if fits else None,
    )
    _log(
        activity,
        E.REGISTERED if fits else E.WAITLISTED,
        now=now,
        registration=registration,
        actor=actor,
        customer=customer,
    )
    if fits:
        _tell(
            registration,
            "activity_registered",
            _("Registered: %(title)s"),
            _("Your %(seats)d place(s) for %(title)s are confirmed: %(when)s, %(place)s."),
            now=now,
        )
    else:
        _tell(
            registration,
            "activity_waitlisted",
            _("Waiting list: %(title)s"),
            _(
                "%(title)s is full. You are number %(position)d on the waiting list; we will "
                "tell you as soon as places free up."
            ),
            now=now,
            position=waiting_position(registration),
        )
    return registration


def _promote(activity: Activity, *, now) -> list[Registration]:
    """Give freed places to the waiting list, in the order people registered. Someone whose
    party does not fit the places left is passed over for now, not dropped: they keep their
    place and move up when enough places free."""
    if activity.state != State.PUBLISHED or now >= activity.starts_at:
        return []
    free = activity.capacity - seats_taken(activity)
    promoted = []
    waiting = activity.registrations.filter(state=RState.WAITING).select_related("customer")
    for registration in waiting.order_by("queued_at", "pk"):
        if free <= 0:
            break
        if registration.seats > free:
            continue
        registration.state, registration.confirmed_at = RState.CONFIRMED, now
        registration.save(update_fields=["state", "confirmed_at", "updated_at"])
        free -= registration.seats
        _log(
            activity,
            E.PROMOTED,
            now=now,
            registration=registration,
            customer=registration.customer,
        )
        _tell(
            registration,
            "activity_promoted",
            _("A place for you: %(title)s"),
            _(
                "Places have freed up: your %(seats)d place(s) for %(title)s are now "
                "confirmed: %(when)s, %(place)s."
            ),
            now=now,
        )
        promoted.append(registration)
    return promoted


@transaction.atomic
def registration_cancel(
    *, registration: Registration, actor=None, customer=None, now=None
) -> Registration:
    """Cancel a registration: by the customer (``customer``, their own only) or by staff for
    them (``actor``). Places it held go to the waiting list at once."""
    now = now or timezone.now()
    activity, registration = _locked_registration(registration)
    if actor is not None:
        require(actor, "activity.register", activity)
    elif customer is None or registration.customer_id != customer.pk:
        raise NotFound()
    REGISTRATIONS.check(registration, "cancel")
    if activity.state != State.PUBLISHED or now >= activity.starts_at:
        raise Conflict(
            _("The activity has started: the registration can no longer be cancelled."),
            code="activity_started",
            field="state",
        )
    held = registration.state == RState.CONFIRMED
    registration.state, registration.cancelled_at = RState.CANCELLED, now
    registration.save(update_fields=["state", "cancelled_at", "updated_at"])
    _log(
        activity,
        E.WITHDRAWN,
        now=now,
        registration=registration,
        actor=actor,
        customer=registration.customer,
    )
    if held:
        _promote(activity, now=now)
    return registration
