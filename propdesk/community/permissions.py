"""Community activities' part of the permission table (``core.permissions.ACTIONS``), registered
in ``CommunityConfig.ready()``."""

from propdesk.org.models import Role

EVERYONE = frozenset(Role)

ACTIONS = {
    # M07 community activities: agents and the director organise them; the director publishes
    # (announcing them as a notice), cancels and closes them; the desk registers callers and
    # checks people in; feedback told by phone is recorded by the desk or a follow-up specialist.
    "activity.view": EVERYONE,
    "activity.edit": {Role.AGENT, Role.DIRECTOR, Role.ADMIN},
    "activity.publish": {Role.DIRECTOR, Role.ADMIN},
    "activity.register": {Role.AGENT, Role.DIRECTOR, Role.ADMIN},
    "activity.feedback": {Role.AGENT, Role.DIRECTOR, Role.FOLLOWUP, Role.ADMIN},
}
