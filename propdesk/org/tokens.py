"""Staff API tokens: issued at sign-in, checked on every call, revoked at sign-out.

The scheme is the kernel's (``core.tokens``), as for the customers' (``portal.tokens``). A token
lives ``PROPDESK_STAFF_TOKEN_DAYS`` from sign-in, whatever its use. Every token of a user is
revoked when the user is deactivated or their password changes (``org.receivers``).
"""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from propdesk.core import tokens

from .models import StaffToken, User


def token_ttl() -> dt.timedelta:
    return dt.timedelta(days=settings.PROPDESK_STAFF_TOKEN_DAYS)


@transaction.atomic
def token_issue(*, user: User, now=None) -> tuple[StaffToken, str]:
    """A new token for ``user``, who has just signed in: the record, and the token itself
    (shown once)."""
    return tokens.token_create(StaffToken, now=now or timezone.now(), ttl=token_ttl(), user=user)


def token_revoke(*, token: StaffToken, now=None) -> None:
    """Sign out: the token stops working at once. Revoking twice changes nothing."""
    tokens.tokens_end(StaffToken.objects.filter(pk=token.pk), now=now or timezone.now())


def tokens_revoke_all(*, user: User, now=None) -> int:
    """Every live token of ``user`` stops working; how many there were."""
    return tokens.tokens_end(StaffToken.objects.filter(user=user), now=now or timezone.now())


def token_use(raw: str, *, now=None) -> StaffToken | None:
    """The live token ``raw`` names, with its user, or None (unknown, expired, revoked, or its
    user deactivated). Records when it was last used."""
    return tokens.token_find(
        StaffToken.objects.select_related("user"), raw, now=now or timezone.now()
    )


def tokens_purge(*, now: dt.datetime) -> dict:
    """Periodic job: delete the tokens that ended more than a while ago (``core.tokens``)."""
    return tokens.tokens_purge(StaffToken, now=now)
