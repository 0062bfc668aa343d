"""The committee's periodic jobs: a month without a held meeting flagged per office (M22), and
overdue actions reminded to their owners."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from propdesk.core.notify import notify
from propdesk.org.models import Role, User

from ..models import Action, Committee, Meeting, MissedMonth
from ._common import E, _log, console_link


def month_bounds(first: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The month starting on ``first`` as aware local datetimes [start, end)."""
    after = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(first, dt.time.min, tzinfo=tz)
    return start, dt.datetime.combine(after, dt.time.min, tzinfo=tz)


def previous_month(now: dt.datetime) -> dt.date:
    first = timezone.localdate(now).replace(day=1)
    return (first - dt.timedelta(days=1)).replace(day=1)


def flag_missed_months(*, now: dt.datetime, month: dt.date | None = None) -> dict:
    """Flag each office that held no committee meeting last month (or in ``month``), once.

    A committee is held to months that began after it was established. The unique (office,
    month) of ``MissedMonth`` is the claim: a second run, or two at once, writes nothing more,
    and the director is told only by the run that wrote the flag."""
    month = month or previous_month(now)
    start, end = month_bounds(month)
    if end > now:
        return {"month": month.isoformat(), "flagged": 0}
    held = set(
        # Served by meeting_state_held (state, held_at).
        Meeting.objects.filter(state=Meeting.State.HELD, held_at__gte=start, held_at__lt=end)
        .values_list("office_id", flat=True)
        .distinct()
    )
    flagged = 0
    for committee in Committee.objects.filter(established_on__lt=month).order_by("pk"):
        if committee.office_id in held:
            continue
        try:
            with transaction.atomic():
                MissedMonth.objects.create(
                    office_id=committee.office_id, committee=committee, month=month, flagged_at=now
                )
                _log(committee, E.MISSED, now=now, note=f"{month:%Y-%m}")
                directors = User.objects.filter(
                    office_id=committee.office_id, role=Role.DIRECTOR, is_active=True
                ).order_by("pk")
                for director in directors:
                    notify(
                        event="committee_month_missed",
                        subject=_("No committee meeting in %(month)s"),
                        body=_(
                            "%(committee)s did not meet the office in %(month)s: the manual asks "
                            "for at least one meeting a month."
                        ),
                        context={"committee": committee.name, "month": f"{month:%Y-%m}"},
                        user=director,
                        link=console_link("committee_detail", committee.pk),
                        dedupe_key=f"committee:missed:{committee.office_id}:{month:%Y-%m}",
                        now=now,
                    )
        except IntegrityError:
            continue  # flagged already, by an earlier or a concurrent run
        flagged += 1
    return {"month": month.isoformat(), "flagged": flagged}


def overdue_action_alerts(*, now: dt.datetime) -> dict:
    """Remind the owner of each action in progress past its due date, once a day per action
    (the message's dedupe key carries the day), until it is done."""
    today = timezone.localdate(now)
    due = (
        # Served by action_state_due (state, due_on).
        Action.objects.filter(state=Action.State.OPEN, due_on__lt=today)
        .select_related("owner", "committee")
        .order_by("due_on", "pk")
    )
    sent = 0
    for action in due[:5000]:
        with transaction.atomic():
            written = notify(
                event="committee_action_overdue",
                subject=_("Overdue: %(title)s"),
                body=_("The improvement action “%(title)s” was due on %(due)s and is not done."),
                context={"title": action.title, "due": action.due_on.isoformat()},
                user=action.owner,
                link=console_link("committee_action", action.pk),
                dedupe_key=f"committee:overdue:{action.pk}:{today.isoformat()}",
                now=now,
            )
            if written and not action.events.filter(kind=E.OVERDUE).exists():
                _log(action.committee, E.OVERDUE, now=now, action=action)
        sent += bool(written)
    return {"reminded": sent}
