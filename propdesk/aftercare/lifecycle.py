"""After service's two records that several people change, each with its lifecycle as data.

- A follow-up call (M13, M15's special follow-up): ``open`` until the customer answers (``done``)
  or three tries reach nobody (``unreached``). Only the call's specialist records it (or anyone
  with ``followup.record`` while it is unassigned, or an administrator).
- A major-defect watch (M14): ``open`` while inspections fall due, ``closed`` early by the
  director with a reason, or by propdesk after the planned clean inspections in a row. The
  designated person (or the director) records the inspections; the director changes the person
  or the plan.

Each table is a ``core.lifecycle.Lifecycle``: ``actions_for`` answers the console (the forms
shown) and the API (``allowed_actions``), and the services refuse through the same table
(``check``), so the two cannot drift. Some actions are one person's to take, whatever their role
allows: ``who`` names them, and ``actions_for`` offers them to that person only, as the services
accept them from that person only.
"""

from django.utils.translation import gettext_lazy as _

from propdesk.core.lifecycle import Lifecycle, action
from propdesk.core.permissions import allowed
from propdesk.org.models import Role

from .models import DefectWatch, FollowupCall

# --- follow-up calls --------------------------------------------------------------------------


def _is_admin(user) -> bool:
    return bool(user.is_superuser or user.role == Role.ADMIN)


def holds_call(user, call: FollowupCall) -> bool:
    """The call is the user's to make: assigned to them, to nobody yet, or they administer."""
    return call.assignee_id in (None, user.pk) or _is_admin(user)


_C = FollowupCall.State

FOLLOWUP_CALLS = Lifecycle(
    {
        # A try without the customer's answer leaves the call open; the third one that reaches
        # nobody closes it as not reached (the service counts them).
        "attempt": action(
            [_C.OPEN],
            permission="followup.record",
            who=holds_call,
            label=_("Recording a try"),
            code="call_closed",
        ),
        "outcome": action(
            [_C.OPEN],
            _C.DONE,
            permission="followup.record",
            who=holds_call,
            label=_("Recording the answer"),
            code="call_closed",
        ),
    },
    refusal=_("This call is closed (“%(state)s”): nothing more can be recorded on it."),
)


# --- major-defect watches ---------------------------------------------------------------------


def designated_or_director(user, watch: DefectWatch) -> bool:
    """The watch's designated person, or whoever may designate one (the director)."""
    return user.pk == watch.watcher_id or allowed(user, "defect.assign", watch)


_W = DefectWatch.State
_WATCH_CLOSED = _("The watch is closed.")

DEFECT_WATCHES = Lifecycle(
    {
        # The watch goes on after an inspection, unless it was the last clean one the plan
        # asks for: then propdesk closes it ("complete").
        "inspect": action(
            [_W.OPEN],
            permission="defect.inspect",
            who=designated_or_director,
            label=_("Recording an inspection"),
            refusal=_WATCH_CLOSED,
            code="watch_closed",
        ),
        "reassign": action(
            [_W.OPEN],
            permission="defect.assign",
            label=_("Changing the designated person or the plan"),
            refusal=_WATCH_CLOSED,
            code="watch_closed",
        ),
        "close": action(
            [_W.OPEN],
            _W.CLOSED,
            permission="defect.close",
            label=_("Closing the watch early"),
            refusal=_WATCH_CLOSED,
            code="watch_closed",
        ),
        # propdesk's own step: the planned clean inspections in a row are done.
        "complete": action([_W.OPEN], _W.CLOSED, refusal=_WATCH_CLOSED, code="watch_closed"),
    },
)
