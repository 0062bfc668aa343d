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
from rest_framework import permissions

from propdesk.core.authentication import KeywordTokenAuthentication

from .models import PortalToken
from .tokens import token_use

KEYWORD = "Bearer"


class PortalTokenAuthentication(KeywordTokenAuthentication):
    keyword = KEYWORD
    malformed = _("Send the header as “Authorization: Bearer <token>”.")
    refused = _("This sign-in is not valid or has expired. Sign in again.")

    def find(self, raw):
        return token_use(raw)

    def principal(self, token):
        return AnonymousUser()  # the caller is the token's account, never a staff user

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
