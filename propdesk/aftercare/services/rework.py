"""M15: rework's special follow-up, due 24 hours after the customer's complaint.

Opening the rework order itself is the request loop's (``tickets.services.rework_open``); this
module adds what after service keeps: the special follow-up call, and its clock.
"""

import datetime as dt

from django.db import transaction

from ..models import FollowupCall
from ..selectors import specialists_by_workload

FOLLOWUP_WITHIN = dt.timedelta(hours=24)


@transaction.atomic
def followup_open(*, original, rework, source: str, complained_at, now) -> FollowupCall:
    """The special follow-up of ``rework``: due 24 hours after the complaint, given to the
    follow-up specialist with the fewest open calls."""
    return FollowupCall.objects.create(
        kind=FollowupCall.Kind.REWORK,
        office_id=rework.office_id,
        ticket=rework,
        customer_id=rework.customer_id,
        assignee=specialists_by_workload().first(),
        due_at=complained_at + FOLLOWUP_WITHIN,
        complained_at=complained_at,
        source=source,
    )
