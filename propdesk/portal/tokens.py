"""Tokens for the customer API: issued at sign-in, checked on every call, revoked at sign-out.

The scheme is the kernel's (``core.tokens``), as for staff (``org.tokens``). A token lives
``TOKEN_TTL`` from sign-in, whatever its use: the app signs in again after that. Signing in
itself (codes, passwords, lockout) is ``portal.services``.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from propdesk.core import tokens

from .models import PortalAccount, PortalToken

TOKEN_TTL = dt.timedelta(days=30)


@transaction.atomic
def token_issue(*, account: PortalAccount, now=None) -> tuple[PortalToken, str]:
    """A new token for a signed-in ``account``: the record, and the token itself (shown once)."""
    return tokens.token_create(
        PortalToken, now=now or timezone.now(), ttl=TOKEN_TTL, account=account
    )


@transaction.atomic
def token_revoke(*, token: PortalToken, now=None) -> None:
    """Sign out: the token stops working at once. Revoking twice changes nothing."""
    tokens.tokens_end(PortalToken.objects.filter(pk=token.pk), now=now or timezone.now())


def token_use(raw: str, *, now=None) -> PortalToken | None:
    """The live token ``raw`` names, with its account and customer, or None (unknown, expired,
    revoked, or its account deactivated). Records when it was last used."""
    return tokens.token_find(
        PortalToken.objects.select_related("account__customer"), raw, now=now or timezone.now()
    )


def tokens_purge(*, now: dt.datetime) -> dict:
    """Periodic job: delete the sign-ins that ended more than a while ago (``core.tokens``)."""
    return tokens.tokens_purge(PortalToken, now=now)
