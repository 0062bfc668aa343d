"""Tokens for the customer API: issued at sign-in, checked on every call, revoked at sign-out.

A token is 32 random bytes, shown to the app once; only its SHA-256 is stored (it is random, so a
slow hash adds nothing). It lives ``TOKEN_TTL`` from sign-in, whatever its use: the app signs in
again after that. Signing in itself (codes, passwords, lockout) is ``portal.services``.
"""

import datetime as dt
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from .models import PortalAccount, PortalToken

TOKEN_TTL = dt.timedelta(days=30)
# last_used_at is kept to this precision, so that most calls do not write to the database.
TOUCH_EVERY = dt.timedelta(minutes=5)


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def token_issue(*, account: PortalAccount, now=None) -> tuple[PortalToken, str]:
    """A new token for a signed-in ``account``: the record, and the token itself (shown once)."""
    now = now or timezone.now()
    raw = secrets.token_urlsafe(32)
    token = PortalToken.objects.create(
        account=account, key_hash=token_hash(raw), created_at=now, expires_at=now + TOKEN_TTL
    )
    return token, raw


@transaction.atomic
def token_revoke(*, token: PortalToken, now=None) -> None:
    """Sign out: the token stops working at once. Revoking twice changes nothing."""
    now = now or timezone.now()
    PortalToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=now)


def token_use(raw: str, *, now=None) -> PortalToken | None:
    """The live token ``raw`` names, with its account and customer, or None (unknown, expired,
    revoked, or its account deactivated). Records when it was last used.

    Runs on every call of the customer API, so it opens no transaction of its own: one read,
    and now and then one single-row update that is atomic by itself."""
    now = now or timezone.now()
    token = (
        PortalToken.objects.select_related("account__customer")
        .filter(key_hash=token_hash(raw))
        .first()
    )
    if token is None or not token.is_live(now):
        return None
    if token.last_used_at is None or token.last_used_at <= now - TOUCH_EVERY:
        PortalToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


# Ended sign-ins are kept this long (who signed in from where, for a customer's question), then
# deleted.
KEEP_ENDED = dt.timedelta(days=30)


def tokens_purge(*, now: dt.datetime) -> dict:
    """Periodic job: delete tokens that expired or were revoked more than ``KEEP_ENDED`` ago.
    Deleting what is already gone changes nothing, so it may run twice or on two machines."""
    cutoff = now - KEEP_ENDED
    expired, _ = PortalToken.objects.filter(expires_at__lt=cutoff).delete()
    revoked, _ = PortalToken.objects.filter(revoked_at__lt=cutoff).delete()
    return {"deleted": expired + revoked}
