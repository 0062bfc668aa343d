"""An activity's and a registration's lifecycles as data (M07): which action a state allows, what
it leads to, who may take it and, where the state alone does not decide, when it makes sense.

An activity: draft → published (registration open) → finished (held), or cancelled from a draft
or while open. A registration: confirmed or waiting → cancelled (withdrawn), confirmed → attended
(checked in on the day) or absent (when the activity is marked held). Both tables are
``core.lifecycle.Lifecycle``: ``actions_for`` answers the console (the buttons on an activity's
page, the registration actions) and the API (``allowed_actions``), and the services refuse through
the same tables (``check``), each step with the refusal it has always had, so the two cannot drift.

Changing a published activity is the publisher's, not only the organisers' (the step's ``who``);
a registration's permissions are checked on its activity, whose office it is in.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from propdesk.core.lifecycle import Lifecycle, action
from propdesk.core.permissions import allowed

from .models import Activity, Registration

S = Activity.State
R = Registration.State


def _publisher_once_published(user, activity) -> bool:
    """A draft is the organisers'; once published, changing it is also the publisher's."""
    return activity.state != S.PUBLISHED or allowed(user, "activity.publish", activity)


def _started(activity) -> bool:
    return timezone.now() >= activity.starts_at


def _registration_open(activity) -> bool:
    return timezone.now() < activity.registration_closes_at


def check_in_window(activity, now=None) -> bool:
    """Check-in is on the day (local time), until the activity ends."""
    now = now or timezone.now()
    return (
        timezone.localdate(now) >= timezone.localdate(activity.starts_at)
        and now <= activity.ends_at
    )


ACTIVITIES = Lifecycle(
    {
        # A draft is the organisers'; once published, changing it is also the publisher's, and
        # only its description, facilities and capacity may change.
        "edit": action(
            [S.DRAFT, S.PUBLISHED],
            permission="activity.edit",
            who=_publisher_once_published,
            refusal=_("A held or cancelled activity cannot be changed."),
            code="activity_closed",
        ),
        "publish": action(
            [S.DRAFT],
            S.PUBLISHED,
            permission="activity.publish",
            refusal=_("Only a draft can be published."),
            code="not_a_draft",
        ),
        "register": action(
            [S.PUBLISHED],
            permission="activity.register",
            when=_registration_open,
            refusal=_("Registration is not open for this activity."),
            code="registration_not_open",
            refusal_field="activity",
        ),
        "finish": action(
            [S.PUBLISHED],
            S.FINISHED,
            permission="activity.publish",
            when=_started,
            refusal=_("Only an open activity can be marked as held."),
            code="activity_closed",
        ),
        "cancel": action(
            [S.DRAFT, S.PUBLISHED],
            S.CANCELLED,
            permission="activity.publish",
            refusal=_("A held or cancelled activity cannot be cancelled."),
            code="activity_closed",
        ),
    },
)


def _before_start(registration) -> bool:
    activity = registration.activity
    return activity.state == S.PUBLISHED and timezone.now() < activity.starts_at


def _desk_open(registration) -> bool:
    activity = registration.activity
    return activity.state == S.PUBLISHED and check_in_window(activity)


def _feedback_due(registration) -> bool:
    return registration.feedback_at is None and _started(registration.activity)


# The actions' names are the console's (``registrations/<pk>/<action>/``). Permissions are on the
# registration's activity, whose office they are in.
REGISTRATIONS = Lifecycle(
    {
        "cancel": action(
            [R.CONFIRMED, R.WAITING],
            R.CANCELLED,
            permission="activity.register",
            when=_before_start,
            refusal=_("This registration is no longer open: it cannot be cancelled."),
            code="registration_closed",
        ),
        "check_in": action(
            [R.CONFIRMED],
            R.ATTENDED,
            permission="activity.register",
            when=_desk_open,
            refusal=_("Only a confirmed registration can be checked in."),
            code="not_confirmed",
        ),
        "feedback": action(
            [R.ATTENDED],
            permission="activity.feedback",
            when=_feedback_due,
            refusal=_("Feedback is for those who came to the activity."),
            code="did_not_attend",
            refusal_field="rating",
        ),
        # Marking the activity held: whoever was confirmed and did not come; never offered.
        "mark_absent": action([R.CONFIRMED], R.ABSENT),
    },
    permission_on=lambda registration: registration.activity,
)
