"""Staff API tokens: issued at sign-in, checked on every call, revoked at sign-out.

The same scheme as the customers' (``portal.tokens``): 32 random bytes, shown once; only their
SHA-256 is stored (the token is random, so a slow hash adds nothing). A token lives
``PROPDESK_STAFF_TOKEN_DAYS`` from sign-in, whatever its use. Every token of a user is revoked
when the user is deactivated or their password changes (``org.receivers``).
"""

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import StaffToken, User

# last_used_at is kept to this precision, so that most calls do not write to the database.
TOUCH_EVERY = dt.timedelta(minutes=5)
# Ended tokens are kept this long (who used the API until when), then deleted.
KEEP_ENDED = dt.timedelta(days=30)


def token_ttl() -> dt.timedelta:
    return dt.timedelta(days=settings.PROPDESK_STAFF_TOKEN_DAYS)


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def token_issue(*, user: User, now=None) -> tuple[StaffToken, str]:
    """A new token for ``user``, who has just signed in: the record, and the token itself
    (shown once)."""
    now = now or timezone.now()
    raw = secrets.token_urlsafe(32)
    token = StaffToken.objects.create(
        user=user, key_hash=token_hash(raw), created_at=now, expires_at=now + token_ttl()
    )
    return token, raw


def token_revoke(*, token: StaffToken, now=None) -> None:
    """Sign out: the token stops working at once. Revoking twice changes nothing."""
    now = now or timezone.now()
    StaffToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=now)


def tokens_revoke_all(*, user: User, now=None) -> int:
    """Every live token of ``user`` stops working; how many there were."""
    now = now or timezone.now()
    return StaffToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now)


def token_use(raw: str, *, now=None) -> StaffToken | None:
    """The live token ``raw`` names, with its user, or None (unknown, expired, revoked, or its
    user deactivated). Records when it was last used.

    Runs on every API call, so it opens no transaction of its own: one read, and now and then
    one single-row update that is atomic by itself."""
    now = now or timezone.now()
    token = StaffToken.objects.select_related("user").filter(key_hash=token_hash(raw)).first()
    if token is None or not token.is_live(now):
        return None
    if token.last_used_at is None or token.last_used_at <= now - TOUCH_EVERY:
        StaffToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def tokens_purge(*, now: dt.datetime) -> dict:
    """Periodic job: delete tokens that expired or were revoked more than ``KEEP_ENDED`` ago.
    Deleting what is already gone changes nothing, so it may run twice or on two machines."""
    cutoff = now - KEEP_ENDED
    expired, _ = StaffToken.objects.filter(expires_at__lt=cutoff).delete()
    revoked, _ = StaffToken.objects.filter(revoked_at__lt=cutoff).delete()
    return {"deleted": expired + revoked}
