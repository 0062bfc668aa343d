"""Notices' part of the permission table (``core.permissions.ACTIONS``), registered in
``NoticesConfig.ready()``."""

from propdesk.org.models import Role

EVERYONE = frozenset(Role)

ACTIONS = {
    # Before service (M05): notices. Company-wide notices are for company roles; an office's for
    # its agents and director.
    "notice.view": EVERYONE,
    "notice.edit": {Role.AGENT, Role.DIRECTOR, Role.QUALITY, Role.ADMIN},
    "notice.publish": {Role.DIRECTOR, Role.QUALITY, Role.ADMIN},
}
