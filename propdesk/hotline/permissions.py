"""The hotline's part of the permission table (``core.permissions.ACTIONS``), registered in
``HotlineConfig.ready()``."""

from propdesk.org.models import Role

ACTIONS = {
    # Hotline
    "call.log": {Role.AGENT, Role.DIRECTOR, Role.ADMIN},
    "roster.edit": {Role.DIRECTOR, Role.ADMIN},
}
