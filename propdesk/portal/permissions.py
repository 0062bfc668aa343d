"""The portal's part of the permission table (``core.permissions.ACTIONS``), registered in
``PortalConfig.ready()``."""

from propdesk.org.models import Role

ACTIONS = {
    # Lift a customer's sign-in lock early (portal.services.account_unlock): the service desk
    # of the customer's office, who take the customer's call, and the administrator.
    "portal_account.unlock": {Role.AGENT, Role.DIRECTOR, Role.ADMIN},
}
