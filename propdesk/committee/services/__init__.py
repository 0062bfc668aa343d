"""Every change to an owners' committee, its meetings, opinions and actions (M22), each in one
transaction.

Who may act (core.permissions, ``committee/permissions.py``): ``committee.edit`` keeps the
roster; ``meeting.record`` plans meetings, records them as held and their opinions;
``meeting.cancel`` cancels; ``item.decide`` turns an opinion into an action or answers it;
``action.update`` (the action's owner or the director) reports progress and marks it done;
``action.verify`` verifies or sends it back. Every step the committee's members and
representatives should know of is fed back to them (``core.notify``).

- ``_common``: the timeline entry, locked rows, checks of input, the message to the committee.
- ``seats``: a committee set up, its members and representatives with their roles and terms.
- ``meetings``: planned, changed, held (attendees have it on their history, M12), cancelled.
- ``items``: an opinion recorded, turned into an action or answered with a reason.
- ``actions``: progress, done, verified or sent back.
- ``jobs``: the month without a meeting flagged; overdue actions reminded.
"""

from ._common import seated_customers
from .actions import action_done, action_progress, action_reopen, action_verify
from .items import item_act, item_add, item_answer
from .jobs import flag_missed_months, month_bounds, overdue_action_alerts, previous_month
from .meetings import meeting_cancel, meeting_hold, meeting_minutes, meeting_plan, meeting_update
from .seats import committee_create, committee_update, seat_add, seat_update

__all__ = [
    "action_done",
    "action_progress",
    "action_reopen",
    "action_verify",
    "committee_create",
    "committee_update",
    "flag_missed_months",
    "item_act",
    "item_add",
    "item_answer",
    "meeting_cancel",
    "meeting_hold",
    "meeting_minutes",
    "meeting_plan",
    "meeting_update",
    "month_bounds",
    "overdue_action_alerts",
    "previous_month",
    "seat_add",
    "seat_update",
    "seated_customers",
]
