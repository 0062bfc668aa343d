"""The API's Idempotency-Key, remembered once for every endpoint that creates something.

A key remembers the fingerprint of the request that first used it (its method, its path and its
validated body, canonically) and the record that request created. The same request again gets
the first answer (``replay``); the same key with another request is refused with 422; after
``PROPDESK_IDEMPOTENCY_KEY_HOURS`` the key is free again. ``core.api.idempotent_create`` is the
one way views use it; this module holds the storage and the fingerprint.
"""

import datetime as dt
import hashlib
import json
from decimal import Decimal
from uuid import UUID

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.utils.translation import gettext_lazy as _

from .errors import Unprocessable
from .models import IdempotencyKey


def canonical(value):
    """``value`` as plain JSON data that is equal for requests that mean the same: records by
    their id, times in UTC ISO 8601, decimals as text, files by name, size and content hash,
    objects with sorted keys (``json.dumps(sort_keys=True)``); lists keep their order."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dict):
        return {str(k): canonical(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [canonical(v) for v in value]
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC)
        return value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal | UUID):
        return str(value)
    if isinstance(value, UploadedFile):
        digest = hashlib.sha256()
        for chunk in value.chunks():
            digest.update(chunk)
        value.seek(0)  # the service reads it next
        return {"name": value.name, "size": value.size, "sha256": digest.hexdigest()}
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def fingerprint(method: str, path: str, data: dict) -> str:
    body = {"method": method.upper(), "path": path, "body": canonical(data)}
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def ttl() -> dt.timedelta:
    return dt.timedelta(hours=settings.PROPDESK_IDEMPOTENCY_KEY_HOURS)


def key_get(owner: str, key: str, *, now) -> IdempotencyKey | None:
    """The owner's key if it is still remembered."""
    return IdempotencyKey.objects.filter(owner=owner, key=key, expires_at__gt=now).first()


def key_check(used: IdempotencyKey, fp: str) -> None:
    """Refuse a key used before for another request."""
    if used.fingerprint != fp:
        raise Unprocessable(
            _(
                "This Idempotency-Key was already used for a different request. Send a new key "
                "for a new request, or the first request unchanged to get its answer again."
            ),
            code="idempotency_key_reused",
            field="idempotency_key",
        )


def key_remember(
    owner: str, key: str, *, fp: str, status: int, record: models.Model, now
) -> IdempotencyKey:
    """Remember what ``key`` created, in the caller's transaction (so the key exists exactly when
    the record does). An expired row of the same key is replaced; a live one makes the insert
    fail on the unique index, which the caller answers as a replay."""
    IdempotencyKey.objects.filter(owner=owner, key=key, expires_at__lte=now).delete()
    return IdempotencyKey.objects.create(
        owner=owner,
        key=key,
        fingerprint=fp,
        status=status,
        record=f"{record._meta.label_lower}:{record.pk}",
        created_at=now,
        expires_at=now + ttl(),
    )


def record_pk(used: IdempotencyKey) -> int:
    return int(used.record.rsplit(":", 1)[1])


def keys_purge(*, now) -> str:
    """Periodic job: free the keys past their time. Idempotent: a second run finds none."""
    deleted, _by_model = IdempotencyKey.objects.filter(expires_at__lte=now).delete()
    return f"{deleted} expired idempotency keys freed"
