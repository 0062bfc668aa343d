"""The periodic job: reminding everyone with confirmed places of an activity a day ahead."""

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from ..models import Registration
from ._common import RState, State, _tell

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
