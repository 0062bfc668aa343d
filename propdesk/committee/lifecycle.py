"""A meeting's, an opinion's and an action's lifecycles as data (M22).

A meeting: planned → held (minutes recorded; opinions recorded after) or cancelled. An opinion:
open → action (an improvement action) or answered (with a reason). An action: open (progress
reported) → done → verified, or back to open when verification finds it not done. The services
refuse through these tables (``check``) and the console and the API offer what they allow
(``actions_for``)."""

from django.utils.translation import gettext_lazy as _

from propdesk.core.lifecycle import Lifecycle, action
from propdesk.core.permissions import allowed

from .models import Action, Item, Meeting

M = Meeting.State
I = Item.State  # noqa: E741
A = Action.State


def _owner_or_director(user, record) -> bool:
    """An action's progress is its owner's to report, or a director's (admin) of its office."""
    return record.owner_id == user.pk or allowed(user, "item.decide", record)


MEETINGS = Lifecycle(
    {
        "edit": action(
            [M.PLANNED],
            permission="meeting.record",
            refusal=_("Only a planned meeting can be changed."),
            code="meeting_closed",
        ),
        "hold": action(
            [M.PLANNED],
            M.HELD,
            permission="meeting.record",
            refusal=_("Only a planned meeting can be recorded as held."),
            code="meeting_closed",
        ),
        "cancel": action(
            [M.PLANNED],
            M.CANCELLED,
            permission="meeting.cancel",
            refusal=_("Only a planned meeting can be cancelled."),
            code="meeting_closed",
        ),
        # Opinions are recorded once the meeting was held; minutes may be corrected then too.
        "add_item": action(
            [M.HELD],
            permission="meeting.record",
            refusal=_("Opinions are recorded for a meeting that was held."),
            code="meeting_not_held",
            refusal_field="meeting",
        ),
        "edit_minutes": action(
            [M.HELD],
            permission="meeting.record",
            refusal=_("Minutes are kept for a meeting that was held."),
            code="meeting_not_held",
        ),
    }
)

ITEMS = Lifecycle(
    {
        "act": action(
            [I.OPEN],
            I.ACTION,
            permission="item.decide",
            refusal=_("This opinion has already been decided."),
            code="item_decided",
        ),
        "answer": action(
            [I.OPEN],
            I.ANSWERED,
            permission="item.decide",
            refusal=_("This opinion has already been decided."),
            code="item_decided",
        ),
    }
)

ACTIONS = Lifecycle(
    {
        "progress": action(
            [A.OPEN],
            permission="action.update",
            who=_owner_or_director,
            refusal=_("Progress is reported on an action in progress."),
            code="action_closed",
        ),
        "done": action(
            [A.OPEN],
            A.DONE,
            permission="action.update",
            who=_owner_or_director,
            refusal=_("Only an action in progress can be marked done."),
            code="action_closed",
        ),
        "verify": action(
            [A.DONE],
            A.VERIFIED,
            permission="action.verify",
            refusal=_("Only a done action can be verified."),
            code="not_done",
        ),
        "reopen": action(
            [A.DONE],
            A.OPEN,
            permission="action.verify",
            refusal=_("Only a done action can be sent back."),
            code="not_done",
        ),
    },
    forbidden=_("Only the action's owner or the director may report on it."),
    forbidden_code="not_your_action",
)
