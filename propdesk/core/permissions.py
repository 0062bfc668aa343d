"""Who may do what: the one table of permissions, checked by every service.

Seeing a record is decided by office scoping (``core.scoping``); acting on it by the table
``ACTIONS``, which maps each action to the roles that may do it. A role not listed for an action
may not do it. Company roles act on every office; office roles only on their own — another
office's record is never even found.

Permission rules live in one place: at run time, the merged table ``ACTIONS`` here is the place to
read; each app's part of it is written in ``<app>/permissions.py`` and registered from the app's
``AppConfig.ready()`` with ``register_actions``. The kernel knows no app and no role: an action's
roles are whatever the app registered, the role a user acts in is ``user.acting_role`` (a
superuser acts as admin), and ``ASSIGNEE_ONLY`` names, per action, the roles that may do it only on
work assigned to them that is still open (a technician, on his own open work orders).
"""

from collections.abc import Iterable, Mapping

import rules
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from .errors import Forbidden
from .scoping import can_see_office

# action → the roles that may do it; filled by the apps' ``ready()`` through ``register_actions``.
ACTIONS: dict[str, frozenset] = {}

# action → the roles that may do it only on work assigned to them now (``obj.assignee_id``).
ASSIGNEE_ONLY: dict[str, frozenset] = {}


def register_actions(
    actions: Mapping[str, Iterable[str]],
    *,
    assignee_only: Mapping[str, Iterable[str]] | None = None,
) -> None:
    """Add an app's part of the table: ``actions`` maps each action to the roles that may do it;
    ``assignee_only`` maps some of them to the roles that may do them only on work assigned to
    them. Each action is also registered with ``rules`` as ``propdesk.<action>``.

    Called once from each app's ``AppConfig.ready()``. An action is registered once: a second
    registration, by the same app or another, raises ``ImproperlyConfigured``."""
    assignee_only = dict(assignee_only or {})
    taken = sorted(set(actions) & set(ACTIONS))
    if taken:
        raise ImproperlyConfigured(f"Permissions registered twice: {', '.join(taken)}")
    unknown = sorted(set(assignee_only) - set(actions))
    if unknown:
        raise ImproperlyConfigured(
            f"Assignee-only permissions not among the actions registered with them: "
            f"{', '.join(unknown)}"
        )
    for action, roles in actions.items():
        ACTIONS[action] = frozenset(roles)
        rules.add_perm(f"propdesk.{action}", _predicate(action))
    for action, roles in assignee_only.items():
        ASSIGNEE_ONLY[action] = frozenset(roles)


def _office_id(obj):
    if obj is None:
        return None
    if hasattr(obj, "office_id"):
        return obj.office_id
    return getattr(obj, "pk", None)  # an Office itself


def allowed(user, action: str, obj=None) -> bool:
    """May ``user`` do ``action`` on ``obj`` (a record with an office, an Office, or None)?"""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    roles = ACTIONS[action]
    role = user.acting_role
    if role not in roles:
        return False
    if obj is not None:
        office_id = _office_id(obj)
        if office_id is not None and not can_see_office(user, office_id):
            return False
        if role in ASSIGNEE_ONLY.get(action, ()):
            # His work now: assigned to him and not finished (a record without ``is_open`` is
            # open while it is assigned).
            return getattr(obj, "assignee_id", None) == user.pk and getattr(obj, "is_open", True)
    return True


def require(user, action: str, obj=None) -> None:
    if not allowed(user, action, obj):
        raise Forbidden(_("Your role may not do this."), code="forbidden")


# The same table, for templates and third-party code that ask ``user.has_perm("propdesk.<action>")``.
def _predicate(action: str):
    @rules.predicate(name=action)
    def check(user, obj=None):
        return allowed(user, action, obj)

    return check
