"""Customers' part of the permission table (``core.permissions.ACTIONS``), registered in
``CustomersConfig.ready()``."""

from propdesk.org.models import Role

EVERYONE = frozenset(Role)

ACTIONS = {
    # Customers
    "customer.view": EVERYONE,
    "customer.edit": {Role.AGENT, Role.DIRECTOR, Role.ADMIN},
    "customer.import": {Role.DIRECTOR, Role.ADMIN},
    # A customer's full phone number (``customers.privacy``); everyone else reads it masked. The
    # record is the customer, or the work or call the number is shown with. Who and why: see
    # docs/decisions.md, "Phone numbers by need".
    "customer.see_phone": {
        Role.AGENT,
        Role.DIRECTOR,
        Role.FOLLOWUP,
        Role.QUALITY,
        Role.ADMIN,
        Role.TECHNICIAN,
    },
}

# A technician reads the number only on a work order of his that is still open.
ASSIGNEE_ONLY = {"customer.see_phone": {Role.TECHNICIAN}}
