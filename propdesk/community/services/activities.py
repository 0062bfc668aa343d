"""An activity's life: written as a draft, changed, published (announced as a notice), and
cancelled."""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext_lazy as _

from propdesk.core.errors import Conflict, DomainError
from propdesk.core.permissions import require
from propdesk.customers.models import Community

from ..lifecycle import ACTIVITIES
from ..models import Activity
from ._common import E, RState, State, _locked, _log, _save, _tell, _when, seats_taken
from .registrations import _promote

Kind = Activity.Kind
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
def activity_update(
    *, actor, activity: Activity, now=None, expected_version: int | None = None, **fields
) -> Activity:
    """Change a draft freely; a published activity only in its description, facilities and
    capacity. A larger capacity moves the waiting list up; a smaller one never drops anyone."""
    now = now or timezone.now()
    activity = _locked(activity, expected_version)
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    ACTIVITIES.check(activity, "edit")
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
    else:
        require(actor, "activity.edit", activity)
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
    _save(activity, fields)
    _log(activity, E.EDITED, now=now, actor=actor, note=", ".join(sorted(fields)))
    if activity.state == State.PUBLISHED and "capacity" in fields:
        _promote(activity, now=now)
    return activity


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
def activity_publish(
    *,
    actor,
    activity: Activity,
    notify_customers: bool = True,
    now=None,
    expected_version: int | None = None,
):
    """Open registration and announce the activity (M07) as a community notice on the notice
    board and the portal, and, with ``notify_customers``, as a message to every customer it is
    for (written by a task after commit, however many they are)."""
    from propdesk.notices.models import Notice
    from propdesk.notices.services import notice_create, notice_publish

    now = now or timezone.now()
    activity = _locked(activity, expected_version)
    require(actor, "activity.publish", activity)
    ACTIVITIES.check(activity, "publish")
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
    _save(activity, ["state", "published_at", "notice"])
    _log(activity, E.PUBLISHED, now=now, actor=actor)
    return activity


@transaction.atomic
def activity_cancel(
    *, actor, activity: Activity, reason: str, now=None, expected_version: int | None = None
) -> Activity:
    """Call the activity off: every registration ends, everyone registered or waiting is told,
    and the announcement is corrected to say so."""
    from propdesk.notices.services import notice_revise

    now = now or timezone.now()
    activity = _locked(activity, expected_version)
    require(actor, "activity.publish", activity)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(
            _("Say why the activity is cancelled: the customers registered are told."),
            code="reason_required",
            field="reason",
        )
    ACTIVITIES.check(activity, "cancel")
    live = list(
        activity.registrations.filter(state__in=(RState.CONFIRMED, RState.WAITING)).select_related(
            "customer", "activity"
        )
    )
    activity.state, activity.cancelled_at, activity.cancel_reason = State.CANCELLED, now, reason
    _save(activity, ["state", "cancelled_at", "cancel_reason"])
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
