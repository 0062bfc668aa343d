"""An activity's and a registration's lifecycles as data (M07): which action a state allows, what
it leads to, who may take it and, where the state alone does not decide, when it makes sense.

An activity: draft → published (registration open) → finished (held), or cancelled from a draft
or while open. A registration: confirmed or waiting → cancelled (withdrawn), confirmed → attended
(checked in on the day) or absent (when the activity is marked held). Both tables are
``core.lifecycle.Lifecycle``: ``actions_for`` answers the console (the buttons on an activity's
page, the registration actions) and the API (``allowed_actions``), and the services refuse through
the same tables (``check``), each step with the refusal it has always had, so the two cannot drift.

Two rules the kernel's table does not say on its own, added by ``CommunityLifecycle``: changing a
published activity is the publisher's, not only the organisers' (``also``); and a refusal may name
the field it has always named instead of the state (``fields``).
"""

from collections.abc import Callable, Mapping

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from propdesk.core.errors import Conflict
from propdesk.core.lifecycle import Action, Lifecycle, action
from propdesk.core.permissions import allowed

from .models import Activity, Registration

S = Activity.State
R = Registration.State


class CommunityLifecycle(Lifecycle):
    """The kernel's table, with a second permission for some (action, state) pairs (``also``)
    and a refusal naming another field than the state (``fields``)."""

    def __init__(
        self,
        actions: Mapping[str, Action],
        *,
        also: Mapping[tuple[str, str], str] | None = None,
        fields: Mapping[str, str] | None = None,
        permission_on: Callable[[object], object] | None = None,
        **kwargs,
    ):
        super().__init__(actions, **kwargs)
        self.also = dict(also or {})  # (action, state) → one more permission it needs
        self.fields = dict(fields or {})  # action → the field its refusal names
        # The record whose office a permission is checked on (a registration's activity).
        self.permission_on = permission_on or (lambda record: record)

    def may(self, user, record, name: str) -> bool:
        step = self.actions.get(name)
        if step is None or step.permission is None or self.state_of(record) not in step.sources:
            return False
        target = self.permission_on(record)
        extra = self.also.get((name, self.state_of(record)))
        return (
            allowed(user, step.permission, target)
            and (extra is None or allowed(user, extra, target))
            and (step.when is None or step.when(record))
        )

    def check(self, record, name: str) -> Action:
        try:
            return super().check(record, name)
        except Conflict as err:
            if name not in self.fields:
                raise
            raise Conflict(err.message, code=err.code, field=self.fields[name]) from None


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


ACTIVITIES = CommunityLifecycle(
    {
        # A draft is the organisers'; once published, changing it is also the publisher's
        # (``also``), and only its description, facilities and capacity may change.
        "edit": action(
            [S.DRAFT, S.PUBLISHED],
            permission="activity.edit",
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
    also={("edit", S.PUBLISHED): "activity.publish"},
    fields={"register": "activity"},
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
REGISTRATIONS = CommunityLifecycle(
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
        ),
        # Marking the activity held: whoever was confirmed and did not come; never offered.
        "mark_absent": action([R.CONFIRMED], R.ABSENT),
    },
    fields={"feedback": "rating"},
    permission_on=lambda registration: registration.activity,
)
