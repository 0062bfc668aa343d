"""Check-in on the day, and the activity marked held: who came, who did not, and asking those
who came for feedback."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from propdesk.core.errors import Conflict
from propdesk.core.permissions import require

from ..lifecycle import ACTIVITIES, REGISTRATIONS
from ..lifecycle import check_in_window as _check_in_window
from ..models import Activity, Registration
from ._common import E, RState, State, _locked, _locked_registration, _log, _save, _tell


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
    REGISTRATIONS.check(registration, "check_in")
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
def activity_finish(
    *, actor, activity: Activity, now=None, expected_version: int | None = None
) -> Activity:
    """The activity has been held: whoever was confirmed and not checked in did not come; the
    waiting list ends; everyone who came is asked for feedback."""
    now = now or timezone.now()
    activity = _locked(activity, expected_version)
    require(actor, "activity.publish", activity)
    ACTIVITIES.check(activity, "finish")
    if now < activity.starts_at:
        raise Conflict(_("The activity has not started yet."), code="not_started", field="state")
    registrations = activity.registrations
    registrations.filter(state=RState.CONFIRMED).update(state=RState.ABSENT, updated_at=now)
    registrations.filter(state=RState.WAITING).update(
        state=RState.CANCELLED, cancelled_at=now, updated_at=now
    )
    activity.state, activity.finished_at = State.FINISHED, now
    _save(activity, ["state", "finished_at"])
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
