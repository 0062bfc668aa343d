"""Every change to a community activity and its registrations (M07), each in one transaction.

Who may act (core.permissions): ``activity.edit`` writes drafts; ``activity.publish`` publishes
(which announces the activity as a notice), cancels and finishes it; ``activity.register``
registers a caller, cancels for them and checks people in; ``activity.feedback`` records
feedback given by phone. A customer registers, cancels and gives feedback for themself.

Seats are counted under a lock on the activity's row, so two registrations at once never take
more seats than there are. A registration that does not fit waits; whenever seats free up (a
cancellation, a larger capacity) the waiting list moves up in the order people registered.

- ``_common``: what they share: the states, the timeline entry, the locked rows, the seats
  taken, and the message to a registered customer.
- ``activities``: an activity written, changed, published (announced as a notice), cancelled.
- ``registrations``: registering and cancelling, and the waiting list moving up.
- ``attendance``: check-in on the day, and the activity marked held.
- ``feedback``: feedback from someone who came.
- ``reminders``: the periodic job that reminds a day ahead.
"""

from ._common import TAKING_SEATS, seats_taken
from .activities import (
    EDITABLE_PUBLISHED,
    FIELDS,
    MAX_CAPACITY,
    activity_cancel,
    activity_create,
    activity_publish,
    activity_update,
)
from .attendance import activity_finish, check_in_open, registration_check_in
from .feedback import registration_feedback
from .registrations import in_audience, register, registration_cancel, waiting_position
from .reminders import REMIND_AHEAD, send_reminders

__all__ = [
    "EDITABLE_PUBLISHED",
    "FIELDS",
    "MAX_CAPACITY",
    "REMIND_AHEAD",
    "TAKING_SEATS",
    "activity_cancel",
    "activity_create",
    "activity_finish",
    "activity_publish",
    "activity_update",
    "check_in_open",
    "in_audience",
    "register",
    "registration_cancel",
    "registration_check_in",
    "registration_feedback",
    "seats_taken",
    "send_reminders",
    "waiting_position",
]
