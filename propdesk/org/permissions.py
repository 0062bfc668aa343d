"""Org's part of the permission table (``core.permissions.ACTIONS``), registered in
``OrgConfig.ready()``: who may look after staff members' sign-in."""

from .models import Role

ACTIONS = {
    # Unlock a staff sign-in locked after wrong tries (org.services.staff_unlock).
    "staff.unlock": {Role.ADMIN},
    # End a staff member's API tokens or remove their authenticator app (a lost phone).
    "staff.revoke": {Role.ADMIN},
}
