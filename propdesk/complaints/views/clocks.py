"""The clocks of a complaint (M19, M23): its first response and its resolution, each met,
met late, overdue, soon due or running."""

import datetime as dt
from dataclasses import dataclass

from .. import rules
from ..models import Complaint


@dataclass(frozen=True)
class Clock:
    due: dt.datetime | None
    met_at: dt.datetime | None
    # "met", "late" (met after the deadline), "overdue", "soon" (a quarter or less left),
    # "running"
    state: str

    @property
    def tone(self) -> str:
        return {"met": "green", "late": "red", "overdue": "red", "soon": "amber"}.get(
            self.state, ""
        )


def _clock(due, met_at, length: dt.timedelta, now) -> Clock:
    if met_at is not None:
        return Clock(due, met_at, "late" if due and met_at > due else "met")
    if due is None:
        return Clock(None, None, "running")
    if now >= due:
        return Clock(due, None, "overdue")
    if due - now <= length * rules.REMIND_AT:  # as the reminder job counts (services.clocks)
        return Clock(due, None, "soon")
    return Clock(due, None, "running")


def _set_clocks(complaint: Complaint, now) -> Complaint:
    first, resolution = rules.CLOCKS[complaint.severity]
    complaint.first_clock = _clock(
        complaint.first_response_due_at, complaint.first_responded_at, first, now
    )
    resolved = complaint.resolved_at if not complaint.is_open else None
    complaint.resolution_clock = _clock(complaint.ticket.due_at, resolved, resolution, now)
    return complaint
