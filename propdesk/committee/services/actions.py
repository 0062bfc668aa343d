"""An improvement action's life: progress reported, done, verified (or sent back). Each update
is fed back to the committee's members and representatives (M22)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from propdesk.core.errors import DomainError
from propdesk.core.notify import notify
from propdesk.core.permissions import require

from ..lifecycle import ACTIONS
from ..models import Action, ActionUpdate
from ._common import E, _bump, _locked, _log, _tell_committee, _text, console_link, portal_link

State = Action.State
STALE = _("Someone else changed this action meanwhile. Reload it and try again.")


def _locked_action(action, expected_version) -> Action:
    fresh = _locked(Action, action, expected_version, STALE)
    return Action.objects.select_related("committee", "item__meeting").get(pk=fresh.pk)


def _progress(value, current: int) -> int:
    if value is None or value == "":
        return current
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
        raise DomainError(
            _("Progress is a whole number from 0 to 100."), code="invalid", field="progress"
        )
    return value


def _feed_back(action: Action, update: ActionUpdate, *, now) -> None:
    _tell_committee(
        action.committee,
        "committee_progress",
        _("Progress on “%(title)s”: %(state)s"),
        _("%(title)s — %(progress)d%%: %(text)s"),
        key=f"update:{update.pk}",
        link=portal_link("committee_action", action.pk),
        now=now,
        title=action.title,
        state=str(action.get_state_display()),
        progress=update.progress,
        text=update.text,
    )


def _update(action, actor, text, progress, now) -> ActionUpdate:
    return ActionUpdate.objects.create(
        action=action, text=text, progress=progress, by=actor, at=now
    )


@transaction.atomic
def action_progress(
    *, actor, action: Action, text: str, progress=None, expected_version=None, now=None
) -> ActionUpdate:
    now = now or timezone.now()
    require(actor, "action.update", action)
    action = _locked_action(action, expected_version)
    ACTIONS.check(action, "progress", actor=actor)
    text = _text(text, "text", _("Say what has been done."))
    action.progress = _progress(progress, action.progress)
    _bump(action, ["progress"])
    update = _update(action, actor, text, action.progress, now)
    _log(
        action.committee,
        E.PROGRESS,
        now=now,
        actor=actor,
        action=action,
        note=f"{action.progress}% {text}"[:300],
    )
    _feed_back(action, update, now=now)
    return update


@transaction.atomic
def action_done(*, actor, action: Action, text: str, expected_version=None, now=None) -> Action:
    now = now or timezone.now()
    require(actor, "action.update", action)
    action = _locked_action(action, expected_version)
    ACTIONS.check(action, "done", actor=actor)
    text = _text(text, "text", _("Say what was done."))
    action.state, action.progress, action.done_at = State.DONE, 100, now
    _bump(action, ["state", "progress", "done_at"])
    update = _update(action, actor, text, 100, now)
    _log(action.committee, E.DONE, now=now, actor=actor, action=action, note=text[:300])
    _feed_back(action, update, now=now)
    return action


@transaction.atomic
def action_verify(
    *, actor, action: Action, text: str = "", expected_version=None, now=None
) -> Action:
    now = now or timezone.now()
    require(actor, "action.verify", action)
    action = _locked_action(action, expected_version)
    ACTIONS.check(action, "verify", actor=actor)
    text = _text(text, "text", "", required=False) or gettext("Verified.")
    action.state, action.verified_at, action.verified_by = State.VERIFIED, now, actor
    _bump(action, ["state", "verified_at", "verified_by"])
    update = _update(action, actor, text, 100, now)
    _log(action.committee, E.VERIFIED, now=now, actor=actor, action=action, note=text[:300])
    _feed_back(action, update, now=now)
    return action


@transaction.atomic
def action_reopen(*, actor, action: Action, text: str, expected_version=None, now=None) -> Action:
    """Verification found the action not done: back to its owner, with the reason."""
    now = now or timezone.now()
    require(actor, "action.verify", action)
    action = _locked_action(action, expected_version)
    ACTIONS.check(action, "reopen", actor=actor)
    text = _text(text, "text", _("Say what is still missing."))
    action.state, action.done_at = State.OPEN, None
    _bump(action, ["state", "done_at"])
    update = _update(action, actor, text, action.progress, now)
    _log(action.committee, E.REOPENED, now=now, actor=actor, action=action, note=text[:300])
    notify(
        event="committee_action_reopened",
        subject=_("Action sent back: %(title)s"),
        body=_("%(title)s is not done yet: %(reason)s"),
        context={"title": action.title, "reason": text},
        user=action.owner,
        link=console_link("committee_action", action.pk),
        dedupe_key=f"committee:reopened:{update.pk}",
        now=now,
    )
    _feed_back(action, update, now=now)
    return action
