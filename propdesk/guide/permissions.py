"""The Service Guide's part of the permission table (``core.permissions.ACTIONS``), registered in
``GuideConfig.ready()``."""

from propdesk.org.models import Role

EVERYONE = frozenset(Role)

ACTIONS = {
    # Before service (M06): the Service Guide.
    "guide.view": EVERYONE,
    "guide.publish": {Role.DIRECTOR, Role.ADMIN},
}
