"""What may happen next to a record: one small table per kind of record, read both ways.

A ``Lifecycle`` names each action a record's state allows: the states it may start from, the state
it leads to, the permission it needs (``core.permissions``), and, where the state alone does not
decide, a condition on the record. The same table answers the console and the API — which actions
this user may take now (the buttons shown, the ``allowed_actions`` listed) — and refuses inside
the service (``check``), so the two cannot drift. Every app with a lifecycle (requests,
activities…) writes its table with this; an app above may add actions to a lower app's table.

``check_version`` is the other half of a safe change: a client that sends the version it saw is
refused when someone changed the record in between, instead of overwriting their work.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from .errors import Conflict, Forbidden
from .permissions import allowed


@dataclass(frozen=True)
class Action:
    """One step of a lifecycle.

    ``permission`` None: the step is taken by propdesk or by another app's service, never offered
    to a user. ``when(record)`` False: the state allows it, but it makes no sense for this record
    now (a free repair needs no fee), so it is not offered; the service decides what to say.
    ``who(user, record)`` False: this person may not take it on this record, whatever their role
    (only the call's specialist records its answer). ``refusal``, ``code`` and ``refusal_field``
    replace the generic refusal of a step its state does not allow (the field it names: else the
    state)."""

    sources: frozenset
    target: str | None = None  # None: the step leaves the state as it is
    permission: str | None = None
    label: str = ""  # how a refusal names the step: "Dispatching"
    when: Callable[[object], bool] | None = field(default=None, compare=False)
    refusal: str = ""
    code: str = "transition_not_allowed"
    who: Callable[[object, object], bool] | None = field(default=None, compare=False)
    refusal_field: str = ""


def action(
    sources: Iterable[str],
    target: str | None = None,
    *,
    permission: str | None = None,
    label: str = "",
    when: Callable[[object], bool] | None = None,
    refusal: str = "",
    code: str = "transition_not_allowed",
    who: Callable[[object, object], bool] | None = None,
    refusal_field: str = "",
) -> Action:
    return Action(
        frozenset(sources), target, permission, label, when, refusal, code, who, refusal_field
    )


class Lifecycle:
    """The actions of one kind of record, whose state is in its ``state_field``."""

    def __init__(
        self,
        actions: Mapping[str, Action],
        *,
        state_field: str = "state",
        refusal: str = "",
        permission_on: Callable[[object], object] | None = None,
        forbidden: str = "",
        forbidden_code: str = "forbidden",
    ):
        self.actions: dict[str, Action] = dict(actions)
        self.state_field = state_field
        # How a step its state does not allow is refused: %(action)s, and the state as %(state)s
        # or by its field's name (%(status)s).
        # The record whose office a permission is checked on (a registration's activity).
        self.permission_on = permission_on or (lambda record: record)
        self.refusal = refusal or _("%(action)s is not allowed while it is “%(state)s”.")
        # How ``check(..., actor=)`` refuses someone whose role or ``who`` does not allow a step.
        self.forbidden = forbidden or _("You may not do this.")
        self.forbidden_code = forbidden_code

    def __getitem__(self, name: str) -> Action:
        return self.actions[name]

    def __contains__(self, name: str) -> bool:
        return name in self.actions

    def add(self, actions: Mapping[str, Action]) -> None:
        """More actions, from an app above the one that owns the record (registered once)."""
        taken = sorted(set(actions) & set(self.actions))
        if taken:
            raise ImproperlyConfigured(f"Lifecycle actions registered twice: {', '.join(taken)}")
        self.actions.update(actions)

    def state_of(self, record) -> str:
        return getattr(record, self.state_field)

    def startable(self, state: str) -> list[str]:
        """Every action the state allows, offered or not."""
        return [name for name, step in self.actions.items() if state in step.sources]

    def permits(self, user, record, name: str) -> bool:
        """May ``user`` take ``name`` on ``record``, whatever its state: the step's permission
        and its ``who``."""
        step = self.actions.get(name)
        return (
            step is not None
            and step.permission is not None
            and allowed(user, step.permission, self.permission_on(record))
            and (step.who is None or step.who(user, record))
        )

    def may(self, user, record, name: str) -> bool:
        """May ``user`` usefully take ``name`` on ``record`` now?"""
        step = self.actions.get(name)
        return (
            step is not None
            and self.state_of(record) in step.sources
            and self.permits(user, record, name)
            and (step.when is None or step.when(record))
        )

    def actions_for(self, user, record) -> list[str]:
        """What ``user`` may usefully do to ``record`` now, in the table's order."""
        return [
            name for name in self.startable(self.state_of(record)) if self.may(user, record, name)
        ]

    def check(self, record, name: str, *, actor=None) -> Action:
        """The step ``name`` takes ``record`` through, or ``Conflict`` when its state does not
        allow it. With ``actor``, first ``Forbidden`` (the table's ``forbidden``) when
        ``permits`` does not let them take it, so the service refuses exactly whom
        ``actions_for`` leaves out; without, who may take it is the service's ``require``.
        ``when`` is the service's own: it says why the step makes no sense now."""
        step = self.actions[name]
        if actor is not None and not self.permits(actor, record, name):
            raise Forbidden(self.forbidden, code=self.forbidden_code)
        if self.state_of(record) not in step.sources:
            state = getattr(
                record, f"get_{self.state_field}_display", lambda: self.state_of(record)
            )()
            values = {"action": step.label or name, "state": state, self.state_field: state}
            message = step.refusal or self.refusal % values
            raise Conflict(message, code=step.code, field=step.refusal_field or self.state_field)
        return step

    def label(self, name: str) -> str:
        step = self.actions.get(name)
        return str(step.label) if step is not None and step.label else name


def check_version(record, expected_version: int | None, *, message: str = "") -> None:
    """Refuse a change made against an older version of ``record`` (``version`` or ``If-Match``):
    someone changed it meanwhile. No version sent: the client takes the last word. ``message``
    names the record in the refusal ("this request")."""
    if expected_version is not None and record.version != expected_version:
        raise Conflict(
            message or _("Someone else changed this meanwhile. Reload it and try again."),
            code="stale_version",
            field="version",
        )
