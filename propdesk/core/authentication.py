"""Reading a bearer token from ``Authorization: <keyword> <token>``: one way for staff
(``org.authentication``, keyword ``Token``) and customers (``portal.authentication``, ``Bearer``)."""

from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header


class KeywordTokenAuthentication(BaseAuthentication):
    """A subclass names its ``keyword``, its two messages, how a token is found (``find``) and
    who the caller then is (``principal``)."""

    keyword = ""
    malformed = ""  # the header is not "<keyword> <token>"
    refused = ""  # no live token by that name

    def find(self, raw: str):
        raise NotImplementedError

    def principal(self, token):
        raise NotImplementedError

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None  # not ours
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(self.malformed)
        try:
            raw = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raw = None
        token = self.find(raw) if raw else None
        if token is None:
            raise exceptions.AuthenticationFailed(self.refused)
        return self.principal(token), token
