"""Bearer tokens, one scheme for staff (``org.StaffToken``) and customers (``portal.PortalToken``).

A token is 32 random bytes, shown once; only its SHA-256 is stored (it is random, so a slow hash
adds nothing), so a database reader cannot sign in as anyone. It lives a fixed time from sign-in
whatever its use, dies when revoked, and stops working when its holder is deactivated. Each app
keeps its own model (whose holder is a staff user or a customer's portal account), its own
lifetime and its own services; the kernel keeps what is the same for both.
"""

import datetime as dt
import hashlib
import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

# last_used_at is kept to this precision, so that most calls do not write to the database.
TOUCH_EVERY = dt.timedelta(minutes=5)
# Ended tokens are kept this long (who used the API until when), then deleted.
KEEP_ENDED = dt.timedelta(days=30)


class HashedToken(models.Model):
    """The columns of a token; ``HOLDER`` names the relation to whoever signed in with it."""

    HOLDER = ""

    # Looked up by hash on every API call: the unique index serves that query.
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"))
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        abstract = True

    def __str__(self):
        return f"{getattr(self, self.HOLDER)} @ {self.created_at:%Y-%m-%d %H:%M}"

    def is_live(self, now) -> bool:
        holder = getattr(self, self.HOLDER)
        return self.revoked_at is None and self.expires_at > now and holder.is_active


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def token_create(model, *, now, ttl: dt.timedelta, **holder):
    """A new token of ``model`` for ``holder``: the record, and the token itself (shown once)."""
    raw = secrets.token_urlsafe(32)
    token = model.objects.create(
        key_hash=token_hash(raw), created_at=now, expires_at=now + ttl, **holder
    )
    return token, raw


def tokens_end(tokens, *, now) -> int:
    """The live ones of ``tokens`` (a queryset) stop working at once; how many there were.
    Revoking twice changes nothing."""
    return tokens.filter(revoked_at__isnull=True).update(revoked_at=now)


def token_find(tokens, raw: str, *, now):
    """The live token of ``tokens`` (a queryset, with what the caller needs selected) that
    ``raw`` names, or None. Records when it was last used.

    Runs on every API call, so it opens no transaction of its own: one read, and now and then
    one single-row update that is atomic by itself."""
    token = tokens.filter(key_hash=token_hash(raw)).first()
    if token is None or not token.is_live(now):
        return None
    if token.last_used_at is None or token.last_used_at <= now - TOUCH_EVERY:
        tokens.model.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def tokens_purge(model, *, now: dt.datetime) -> dict:
    """Periodic job: delete tokens that expired or were revoked more than ``KEEP_ENDED`` ago.
    Deleting what is already gone changes nothing, so it may run twice or on two machines."""
    cutoff = now - KEEP_ENDED
    expired, _ = model.objects.filter(expires_at__lt=cutoff).delete()
    revoked, _ = model.objects.filter(revoked_at__lt=cutoff).delete()
    return {"deleted": expired + revoked}
