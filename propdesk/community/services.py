"""Every change to a community activity and its registrations (M07), each in one transaction.

Who may act (core.permissions): ``activity.edit`` writes drafts; ``activity.publish`` publishes
(which announces the activity as a notice), cancels and finishes it; ``activity.register``
registers a caller, cancels for them and checks people in; ``activity.feedback`` records
feedback given by phone. A customer registers, cancels and gives feedback for themself.

Seats are counted under a lock on the activity's row, so two registrations at once never take
more seats than there are. A registration that does not fit waits; whenever seats free up (a
cancellation, a larger capacity) the waiting list moves up in the order people registered.
"""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext_lazy as _

from propdesk.core.errors import Conflict, DomainError, NotFound
from propdesk.core.notify import notify
from propdesk.core.permissions import require
from propdesk.customers.models import Community, Household

from .models import MAX_SEATS, Activity, ActivityEvent, Registration

State = Activity.State
RState = Registration.State
Kind = Activity.Kind
E = ActivityEvent.Kind
TAKING_SEATS = (RState.CONFIRMED, RState.ATTENDED)
MAX_CAPACITY = 10000
FIELDS = (
    "community",
    "kind",
    "title",
    "description",
    "facilities",
    "place",
    "starts_at",
    "ends_at",
    "registration_closes_at",
    "capacity",
)
# What may still change once customers have registered: the rest (time, place, audience) are
# what people registered for; to change them, cancel (everyone is told) and publish anew.
EDITABLE_PUBLISHED = ("description", "facilities", "capacity")


def _log(activity, kind, *, now, registration=None, actor=None, customer=None, note=""):
    ActivityEvent.objects.create(
        activity=activity,
        registration=registration,
        kind=kind,
        actor=actor,
        customer=customer,
        note=(note or "")[:300],
        at=now,
    )


def _locked(activity: Activity) -> Activity:
    """The activity's row, locked against a concurrent registration or change, re-read."""
    return Activity.objects.select_for_update().get(pk=activity.pk)


def seats_taken(activity: Activity) -> int:
    taken = activity.registrations.filter(state__in=TAKING_SEATS).aggregate(n=Sum("seats"))["n"]
    return taken or 0


def in_audience(activity: Activity, customer) -> bool:
    """Does the customer live where the activity is for (the office, or its one community)?"""
    homes = Household.objects.of_customer(customer).filter(office_id=activity.office_id)
    if activity.community_id:
        homes = homes.filter(unit__building__community_id=activity.community_id)
    return homes.exists()


# --- writing and publishing -------------------------------------------------------------------


def _clean(fields: dict, *, office, now, current: Activity | None = None) -> dict:
    """Check the activity's fields (merged over ``current``); a DomainError names the field."""
    merged = {name: getattr(current, name) for name in FIELDS} if current else {}
    merged.update(fields)
    for name in ("title", "place", "description", "facilities"):
        if name in fields:
            fields[name] = merged[name] = (fields[name] or "").strip()
    for name in ("title", "place"):
        if not merged.get(name):
            raise DomainError(_("This field is required."), code="required", field=name)
    if merged.get("kind") not in Kind.values:
        raise DomainError(_("Choose the kind of activity."), code="invalid_kind", field="kind")
    if merged["kind"] == Kind.OPEN_DAY and not merged.get("facilities"):
        raise DomainError(
            _("An open day names the facilities customers will visit."),
            code="facilities_required",
            field="facilities",
        )
    community = merged.get("community")
    if community is not None:
        if not isinstance(community, Community):
            community = Community.objects.filter(pk=community).first()
        if community is None or community.office_id != office.pk:
            raise DomainError(
                _("Choose a community of the activity's office."),
                code="invalid_community",
                field="community",
            )
        if "community" in fields:
            fields["community"] = community
    starts_at, ends_at = merged.get("starts_at"), merged.get("ends_at")
    if starts_at is None:
        raise DomainError(_("This field is required."), code="required", field="starts_at")
    if ends_at is None:
        raise DomainError(_("This field is required."), code="required", field="ends_at")
    if "starts_at" in fields and starts_at <= now:
        raise DomainError(
            _("The activity must start in the future."), code="past_start", field="starts_at"
        )
    if ends_at <= starts_at:
        raise DomainError(
            _("The activity must end after it starts."), code="ends_before_start", field="ends_at"
        )
    closes = merged.get("registration_closes_at") or starts_at
    if closes > starts_at:
        raise DomainError(
            _("Registration must close by the time the activity starts."),
            code="closes_after_start",
            field="registration_closes_at",
        )
    if "registration_closes_at" in fields and closes <= now:
        raise DomainError(
            _("Registration must close in the future."),
            code="past_closing",
            field="registration_closes_at",
        )
    fields["registration_closes_at"] = closes
    capacity = merged.get("capacity")
    if not isinstance(capacity, int) or isinstance(capacity, bool):
        raise DomainError(_("Enter a whole number."), code="invalid_capacity", field="capacity")
    if not 1 <= capacity <= MAX_CAPACITY:
        raise DomainError(
            _("The capacity is between 1 and %(max)d people.") % {"max": MAX_CAPACITY},
            code="invalid_capacity",
            field="capacity",
        )
    return fields


@transaction.atomic
def activity_create(*, actor, office=None, now=None, **fields) -> Activity:
    now = now or timezone.now()
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    office = office or getattr(actor, "office", None)
    if office is None:
        raise DomainError(_("Choose the office."), code="office_required", field="office")
    require(actor, "activity.edit", office)
    fields.setdefault("registration_closes_at", None)
    fields = _clean(fields, office=office, now=now)
    activity = Activity.objects.create(office=office, created_by=actor, **fields)
    _log(activity, E.CREATED, now=now, actor=actor)
    return activity


@transaction.atomic
def activity_update(*, actor, activity: Activity, now=None, **fields) -> Activity:
    """Change a draft freely; a published activity only in its description, facilities and
    capacity. A larger capacity moves the waiting list up; a smaller one never drops anyone."""
    now = now or timezone.now()
    activity = _locked(activity)
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    if activity.state == State.PUBLISHED:
        require(actor, "activity.publish", activity)
        fixed = sorted(
            name
            for name in set(fields) - set(EDITABLE_PUBLISHED)
            if fields[name] != getattr(activity, name)
        )
        if fixed:
            raise Conflict(
                _(
                    "Customers have registered for this time, place and audience: to change "
                    "them, cancel the activity and publish a new one."
                ),
                code="activity_published",
                field=fixed[0],
            )
        fields = {name: value for name, value in fields.items() if name in EDITABLE_PUBLISHED}
    elif activity.state == State.DRAFT:
        require(actor, "activity.edit", activity)
    else:
        raise Conflict(
            _("A held or cancelled activity cannot be changed."),
            code="activity_closed",
            field="state",
        )
    fields = {n: v for n, v in fields.items() if v != getattr(activity, n)}
    if not fields:
        return activity
    # Registration closed when the activity started: after a new start time it still does.
    if (
        "starts_at" in fields
        and "registration_closes_at" not in fields
        and activity.registration_closes_at == activity.starts_at
    ):
        fields["registration_closes_at"] = fields["starts_at"]
    fields = _clean(fields, office=activity.office, now=now, current=activity)
    if "capacity" in fields and activity.state == State.PUBLISHED:
        taken = seats_taken(activity)
        if fields["capacity"] < taken:
            raise Conflict(
                _("%(n)d places are already taken: the capacity cannot be smaller.") % {"n": taken},
                code="capacity_below_taken",
                field="capacity",
            )
    for name, value in fields.items():
        setattr(activity, name, value)
    activity.save(update_fields=[*fields, "updated_at"])
    _log(activity, E.EDITED, now=now, actor=actor, note=", ".join(sorted(fields)))
    if activity.state == State.PUBLISHED and "capacity" in fields:
        _promote(activity, now=now)
    return activity


def _when(activity: Activity) -> str:
    start = timezone.localtime(activity.starts_at)
    end = timezone.localtime(activity.ends_at)
    text = formats.date_format(start, "DATETIME_FORMAT")
    if end.date() == start.date():
        return f"{text} – {formats.time_format(end, 'TIME_FORMAT')}"
    return f"{text} – {formats.date_format(end, 'DATETIME_FORMAT')}"


def _announcement(activity: Activity) -> tuple[str, str]:
    """The notice's title and text, in the company's language (a notice is one public text)."""
    with translation.override(settings.LANGUAGE_CODE):
        lines = [
            f"{_('Kind')}: {activity.get_kind_display()}",
            f"{_('When')}: {_when(activity)}",
            f"{_('Place')}: {activity.place}",
            f"{_('Places')}: {activity.capacity}",
            f"{_('Registration closes')}: "
            + formats.date_format(
                timezone.localtime(activity.registration_closes_at), "DATETIME_FORMAT"
            ),
        ]
        if activity.facilities:
            lines += ["", f"{_('Facilities to visit')}:", activity.facilities]
        if activity.description:
            lines += ["", activity.description]
        lines += [
            "",
            str(_("Register in the resident portal, or call the service center to register.")),
        ]
        return activity.title, "\n".join(lines)


def _notice_scope(activity: Activity) -> dict:
    from propdesk.notices.models import Notice

    if activity.community_id:
        return {
            "scope": Notice.Scope.BUILDINGS,
            "office": activity.office,
            "buildings": list(activity.community.buildings.all()),
        }
    return {"scope": Notice.Scope.OFFICE, "office": activity.office}


@transaction.atomic
def activity_publish(*, actor, activity: Activity, notify_customers: bool = True, now=None):
    """Open registration and announce the activity (M07) as a community notice on the notice
    board and the portal, and, with ``notify_customers``, as a message to every customer it is
    for (written by a task after commit, however many they are)."""
    from propdesk.notices.models import Notice
    from propdesk.notices.services import notice_create, notice_publish

    now = now or timezone.now()
    activity = _locked(activity)
    require(actor, "activity.publish", activity)
    if activity.state != State.DRAFT:
        raise Conflict(_("Only a draft can be published."), code="not_a_draft", field="state")
    if activity.registration_closes_at <= now:
        raise DomainError(
            _("Registration would already be closed: change the dates first."),
            code="past_closing",
            field="registration_closes_at",
        )
    title, body = _announcement(activity)
    with translation.override(settings.LANGUAGE_CODE):
        notice = notice_create(
            actor=actor,
            category=Notice.Category.COMMUNITY,
            title=title,
            body=body,
            by_board=True,
            by_network=True,
            by_notification=notify_customers,
            **_notice_scope(activity),
        )
        notice = notice_publish(actor=actor, notice=notice, now=now)
    activity.state, activity.published_at, activity.notice = State.PUBLISHED, now, notice
    activity.save(update_fields=["state", "published_at", "notice", "updated_at"])
    _log(activity, E.PUBLISHED, now=now, actor=actor)
    return activity


def _tell(registration: Registration, event: str, subject, body, *, now, urgent=False, **extra):
    """One message to the registered customer, in their language, on their channels; once per
    registration and event, so a job or a retry never says it twice."""
    activity = registration.activity
    return notify(
        event=event,
        subject=subject,
        body=body,
        context={
            "title": activity.title,
            "when": _when(activity),
            "place": activity.place,
            "seats": registration.seats,
            **extra,
        },
        customer=registration.customer,
        link=reverse("portal:activity", args=[activity.pk]),
        urgent=urgent,
        dedupe_key=f"activity:{event}:{registration.pk}",
        now=now,
    )


@transaction.atomic
def activity_cancel(*, actor, activity: Activity, reason: str, now=None) -> Activity:
    """Call the activity off: every registration ends, everyone registered or waiting is told,
    and the announcement is corrected to say so."""
    from propdesk.notices.services import notice_revise

    now = now or timezone.now()
    activity = _locked(activity)
    require(actor, "activity.publish", activity)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(
            _("Say why the activity is cancelled: the customers registered are told."),
            code="reason_required",
            field="reason",
        )
    if activity.state not in (State.DRAFT, State.PUBLISHED):
        raise Conflict(
            _("A held or cancelled activity cannot be cancelled."),
            code="activity_closed",
            field="state",
        )
    live = list(
        activity.registrations.filter(state__in=(RState.CONFIRMED, RState.WAITING)).select_related(
            "customer", "activity"
        )
    )
    activity.state, activity.cancelled_at, activity.cancel_reason = State.CANCELLED, now, reason
    activity.save(update_fields=["state", "cancelled_at", "cancel_reason", "updated_at"])
    # Starting within a day: people may be about to set off, so it goes out over quiet hours.
    soon = activity.starts_at - now < dt.timedelta(hours=24)
    for registration in live:
        registration.state, registration.cancelled_at = RState.CANCELLED, now
        registration.save(update_fields=["state", "cancelled_at", "updated_at"])
        _tell(
            registration,
            "activity_cancelled",
            _("Activity cancelled: %(title)s"),
            _("We are sorry: %(title)s (%(when)s) is cancelled. Reason: %(reason)s"),
            now=now,
            urgent=soon,
            reason=reason,
        )
    _log(activity, E.CANCELLED, now=now, actor=actor, note=reason)
    if activity.notice_id and activity.notice.state == activity.notice.State.PUBLISHED:
        with translation.override(settings.LANGUAGE_CODE):
            notice_revise(
                actor=actor,
                notice=activity.notice,
                title=str(_("Cancelled: %(title)s") % {"title": activity.notice.title}),
                body=str(_("This activity is cancelled. Reason: %(reason)s") % {"reason": reason})
                + "\n\n"
                + activity.notice.body,
                note=str(_("Activity cancelled")),
                now=now,
            )
    return activity


# --- registrations ----------------------------------------------------------------------------


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
    if activity.state != State.PUBLISHED:
        raise Conflict(
            _("Registration is not open for this activity."),
            code="registration_not_open",
            field="activity",
        )
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


def _locked_registration(registration: Registration) -> tuple[Activity, Registration]:
    activity = _locked(registration.activity)
    registration = Registration.objects.select_related("customer").get(pk=registration.pk)
    registration.activity = activity
    return activity, registration


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
    if registration.state not in (RState.CONFIRMED, RState.WAITING):
        raise Conflict(
            _("This registration is no longer open: it cannot be cancelled."),
            code="registration_closed",
            field="state",
        )
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


def _check_in_window(activity: Activity, now) -> bool:
    """Check-in is on the day (local time), until the activity ends."""
    return (
        timezone.localdate(now) >= timezone.localdate(activity.starts_at)
        and now <= activity.ends_at
    )


def check_in_open(activity: Activity, now) -> bool:
    """Is the check-in desk open for this activity now?"""
    return activity.state == State.PUBLISHED and _check_in_window(activity, now)


@transaction.atomic
def registration_check_in(*, actor, registration: Registration, now=None) -> Registration:
    now = now or timezone.now()
    activity, registration = _locked_registration(registration)
    require(actor, "activity.register", activity)
    if activity.state != State.PUBLISHED:
        raise Conflict(
            _("Check-in is only for an activity that is open."),
            code="activity_closed",
            field="state",
        )
    if not _check_in_window(activity, now):
        raise Conflict(
            _("Check-in opens on the day of the activity and closes when it ends."),
            code="not_the_day",
            field="state",
        )
    if registration.state == RState.ATTENDED:
        raise Conflict(_("Already checked in."), code="already_checked_in", field="state")
    if registration.state != RState.CONFIRMED:
        raise Conflict(
            _("Only a confirmed registration can be checked in."),
            code="not_confirmed",
            field="state",
        )
    registration.state = RState.ATTENDED
    registration.checked_in_at, registration.checked_in_by = now, actor
    registration.save(update_fields=["state", "checked_in_at", "checked_in_by", "updated_at"])
    _log(
        activity,
        E.CHECKED_IN,
        now=now,
        registration=registration,
        actor=actor,
        customer=registration.customer,
    )
    return registration


@transaction.atomic
def activity_finish(*, actor, activity: Activity, now=None) -> Activity:
    """The activity has been held: whoever was confirmed and not checked in did not come; the
    waiting list ends; everyone who came is asked for feedback."""
    now = now or timezone.now()
    activity = _locked(activity)
    require(actor, "activity.publish", activity)
    if activity.state != State.PUBLISHED:
        raise Conflict(
            _("Only an open activity can be marked as held."),
            code="activity_closed",
            field="state",
        )
    if now < activity.starts_at:
        raise Conflict(_("The activity has not started yet."), code="not_started", field="state")
    registrations = activity.registrations
    registrations.filter(state=RState.CONFIRMED).update(state=RState.ABSENT, updated_at=now)
    registrations.filter(state=RState.WAITING).update(
        state=RState.CANCELLED, cancelled_at=now, updated_at=now
    )
    activity.state, activity.finished_at = State.FINISHED, now
    activity.save(update_fields=["state", "finished_at", "updated_at"])
    attended = list(registrations.filter(state=RState.ATTENDED).select_related("customer"))
    for registration in attended:
        registration.activity = activity
        _tell(
            registration,
            "activity_feedback",
            _("How was %(title)s?"),
            _("Thank you for coming to %(title)s. Tell us how it was: rate it in the portal."),
            now=now,
        )
    absent = registrations.filter(state=RState.ABSENT).count()
    _log(
        activity,
        E.FINISHED,
        now=now,
        actor=actor,
        note=str(
            _("%(came)d came, %(absent)d did not") % {"came": len(attended), "absent": absent}
        ),
    )
    return activity


@transaction.atomic
def registration_feedback(
    *,
    registration: Registration,
    rating,
    comment: str = "",
    actor=None,
    customer=None,
    now=None,
) -> Registration:
    """Feedback after the activity, once, from someone who came: by the customer, or recorded
    by staff (``actor``) when the customer tells them by phone."""
    now = now or timezone.now()
    activity, registration = _locked_registration(registration)
    if actor is not None:
        require(actor, "activity.feedback", activity)
    elif customer is None or registration.customer_id != customer.pk:
        raise NotFound()
    if registration.state != RState.ATTENDED:
        raise Conflict(
            _("Feedback is for those who came to the activity."),
            code="did_not_attend",
            field="rating",
        )
    if now < activity.starts_at:
        raise Conflict(
            _("Feedback opens once the activity has started."), code="not_started", field="rating"
        )
    if registration.feedback_at is not None:
        raise Conflict(
            _("Feedback for this activity has already been given."),
            code="feedback_given",
            field="rating",
        )
    if not isinstance(rating, int) or isinstance(rating, bool) or not 1 <= rating <= 5:
        raise DomainError(
            _("Rate from 1 (poor) to 5 (excellent)."), code="invalid_rating", field="rating"
        )
    registration.rating, registration.comment = rating, (comment or "").strip()[:2000]
    registration.feedback_at = now
    registration.save(update_fields=["rating", "comment", "feedback_at", "updated_at"])
    _log(
        activity,
        E.FEEDBACK,
        now=now,
        registration=registration,
        actor=actor,
        customer=registration.customer,
        note=f"{rating}/5",
    )
    return registration


# --- the periodic job -------------------------------------------------------------------------

REMIND_AHEAD = dt.timedelta(hours=24)


def send_reminders(*, now: dt.datetime) -> dict:
    """Remind everyone with confirmed places of an activity starting within a day. Each message
    is keyed by its registration, so a second run, or a run on another machine, sends nothing
    more."""
    due = Registration.objects.filter(
        state=RState.CONFIRMED,
        activity__state=State.PUBLISHED,
        activity__starts_at__gt=now,
        activity__starts_at__lte=now + REMIND_AHEAD,
    ).select_related("activity", "customer")
    sent = 0
    for registration in due.order_by("pk")[:5000]:
        with transaction.atomic():
            written = _tell(
                registration,
                "activity_reminder",
                _("Reminder: %(title)s"),
                _("A reminder: %(title)s is on %(when)s at %(place)s. We look forward to it."),
                now=now,
            )
        sent += bool(written)
    return {"reminded": sent}
