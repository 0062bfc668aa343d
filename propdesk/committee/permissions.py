"""The committee app's part of the permission table (``core.permissions.ACTIONS``), registered in
``CommitteeConfig.ready()``."""

from propdesk.org.models import Role

EVERYONE = frozenset(Role)

ACTIONS = {
    # M22 owners' committees: everyone on staff may read their office's committee; the desk and
    # the director keep its roster and record its meetings; the director decides what each
    # opinion leads to (an action with its owner, or an answer) and cancels meetings.
    "committee.view": EVERYONE,
    "committee.edit": {Role.AGENT, Role.DIRECTOR, Role.ADMIN},
    "meeting.record": {Role.AGENT, Role.DIRECTOR, Role.ADMIN},
    "meeting.cancel": {Role.DIRECTOR, Role.ADMIN},
    "item.decide": {Role.DIRECTOR, Role.ADMIN},
    # Progress is reported by the action's owner (``who`` in the lifecycle) or the director;
    # a done action is verified by the director or the company's quality managers.
    "action.update": {Role.AGENT, Role.TECHNICIAN, Role.DIRECTOR, Role.ADMIN},
    "action.verify": {Role.DIRECTOR, Role.QUALITY, Role.ADMIN},
}
