"""What the activity services share: the states, the timeline entry, the locked rows, the
seats taken, and the message to a registered customer."""

from django.db.models import Sum
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from propdesk.core.lifecycle import check_version
from propdesk.core.notify import notify

from ..models import Activity, ActivityEvent, Registration

State = Activity.State
RState = Registration.State
E = ActivityEvent.Kind
TAKING_SEATS = (RState.CONFIRMED, RState.ATTENDED)


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


def _locked(activity: Activity, expected_version: int | None = None) -> Activity:
    """The activity's row, locked against a concurrent registration or change, re-read; a change
    made against an older version (``expected_version``) is refused."""
    fresh = Activity.objects.select_for_update().get(pk=activity.pk)
    check_version(
        fresh,
        expected_version,
        message=_("Someone else changed this activity meanwhile. Reload it and try again."),
    )
    return fresh


def _save(activity: Activity, fields) -> None:
    """Save a change to the activity itself, raising its version. A registration (and the
    waiting list moving up) changes only the places taken, not what the organisers wrote, so it
    does not raise the version: a resident registering never makes the director's edit stale."""
    activity.version += 1
    activity.save(update_fields=[*fields, "version", "updated_at"])


def seats_taken(activity: Activity) -> int:
    taken = activity.registrations.filter(state__in=TAKING_SEATS).aggregate(n=Sum("seats"))["n"]
    return taken or 0


def _when(activity: Activity) -> str:
    start = timezone.localtime(activity.starts_at)
    end = timezone.localtime(activity.ends_at)
    text = formats.date_format(start, "DATETIME_FORMAT")
    if end.date() == start.date():
        return f"{text} – {formats.time_format(end, 'TIME_FORMAT')}"
    return f"{text} – {formats.date_format(end, 'DATETIME_FORMAT')}"


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


def _locked_registration(registration: Registration) -> tuple[Activity, Registration]:
    activity = _locked(registration.activity)
    registration = Registration.objects.select_related("customer").get(pk=registration.pk)
    registration.activity = activity
    return activity, registration
