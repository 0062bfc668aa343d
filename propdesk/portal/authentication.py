"""How the customer API knows who is calling: ``Authorization: Bearer <token>``.

A customer is never a staff user. So ``request.user`` stays anonymous on the customer API, and the
signed-in account is ``request.auth`` (a ``PortalToken``): nothing that reads ``request.user``
(the staff permission ``IsStaff``, the audit history's middleware) can take a customer for staff.
Staff endpoints do not list this class, so a customer's token opens none of them; the customer
endpoints list only this class, so a staff session or staff token opens none of them either.
"""

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions, permissions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from .models import PortalToken
from .tokens import token_use

KEYWORD = "Bearer"


class PortalTokenAuthentication(BaseAuthentication):
    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD.lower().encode():
            return None  # not ours: the caller is anonymous here
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                _("Send the header as “Authorization: Bearer <token>”.")
            )
        try:
            raw = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raw = None
        token = token_use(raw) if raw else None
        if token is None:
            raise exceptions.AuthenticationFailed(
                _("This sign-in is not valid or has expired. Sign in again.")
            )
        return AnonymousUser(), token

    def authenticate_header(self, request):
        # Makes an unauthenticated call answer 401 with WWW-Authenticate, as RFC 6750 says.
        return f'{KEYWORD} realm="customer"'


class IsPortalCustomer(permissions.BasePermission):
    """Signed in with a customer's token (``PortalTokenAuthentication``)."""

    def has_permission(self, request, view):
        return isinstance(request.auth, PortalToken)


class PortalTokenScheme(OpenApiAuthenticationExtension):
    target_class = "propdesk.portal.authentication.PortalTokenAuthentication"
    name = "customerToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": str(
                _(
                    "A customer's token from POST /api/v1/portal/auth/token/. It opens the "
                    "customer API (/api/v1/portal/) only."
                )
            ),
        }
