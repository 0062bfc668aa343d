"""The catalogue's part of the permission table (``core.permissions.ACTIONS``), registered in
``CatalogConfig.ready()``."""

from propdesk.org.models import Role

EVERYONE = frozenset(Role)

ACTIONS = {
    # Catalogue
    "catalog.view": EVERYONE,
    "catalog.edit": {Role.DIRECTOR, Role.ADMIN},
}
