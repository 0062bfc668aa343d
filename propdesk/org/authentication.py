"""How the staff API knows who is calling: ``Authorization: Token <token>``.

The token is an ``org.StaffToken`` (``org.tokens``): hashed, expiring, revocable. The header's
keyword is the one DRF's own token used, so clients keep sending what they sent.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension

from propdesk.core.authentication import KeywordTokenAuthentication

from .tokens import token_use

KEYWORD = "Token"


class StaffTokenAuthentication(KeywordTokenAuthentication):
    keyword = KEYWORD
    malformed = _("Send the header as “Authorization: Token <token>”.")
    refused = _("This token is not valid, has expired or was revoked. Sign in again.")

    def find(self, raw):
        return token_use(raw)

    def principal(self, token):
        return token.user

    def authenticate_header(self, request):
        # Makes an unauthenticated call answer 401 with WWW-Authenticate rather than 403.
        return KEYWORD


class StaffTokenScheme(OpenApiAuthenticationExtension):
    target_class = "propdesk.org.authentication.StaffTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": str(
                _(
                    "“Token <token>”, with a token from POST /api/v1/auth/token/. It expires "
                    "(docs/api.md) and DELETE /api/v1/auth/token/ revokes it."
                )
            ),
        }
