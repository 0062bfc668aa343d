"""Customers' part of the permission table (``core.permissions.ACTIONS``), registered in
``CustomersConfig.ready()``."""

from propdesk.org.models import Role

EVERYONE = frozenset(Role)

ACTIONS = {
    # Customers
    "customer.view": EVERYONE,
    "customer.edit": {Role.AGENT, Role.DIRECTOR, Role.ADMIN},
    "customer.import": {Role.DIRECTOR, Role.ADMIN},
}
