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
from django.db import IntegrityError, connection, models
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


def key_remember(owner: str, key: str, *, fp: str, status: int, record: models.Model, now) -> None:
    """Remember what ``key`` created, in the caller's transaction (so the key exists exactly when
    the record does). One statement on the (owner, key) unique index: an insert that takes over
    an expired row of the same key, and writes nothing over a live one, which it reports as the
    ``IntegrityError`` a plain insert would raise: the caller answers it as a replay."""
    row = {
        "owner": owner,
        "key": key,
        "fingerprint": fp,
        "status": status,
        "record": f"{record._meta.label_lower}:{record.pk}",
        "created_at": now,
        "expires_at": now + ttl(),
    }
    if connection.vendor not in UPSERTS:
        IdempotencyKey.objects.filter(owner=owner, key=key, expires_at__lte=now).delete()
        IdempotencyKey.objects.create(**row)
        return
    with connection.cursor() as cursor:
        params = [_adapted(name, value) for name, value in row.items()]
        cursor.execute(_upsert_sql(), [*params, _adapted("expires_at", now)])
        written = cursor.rowcount
    if written != 1:
        raise IntegrityError(f"idempotency key {owner} {key} is already in use")


# Both speak ``INSERT … ON CONFLICT … DO UPDATE … WHERE``: the update applies only when the row
# in the way has expired, otherwise nothing is written (a row count of 0).
UPSERTS = {"postgresql", "sqlite"}


def _upsert_sql() -> str:
    qn = connection.ops.quote_name
    fields = ["owner", "key", "fingerprint", "status", "record", "created_at", "expires_at"]
    table = qn(IdempotencyKey._meta.db_table)
    columns = ", ".join(qn(f) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    updates = ", ".join(f"{qn(f)} = excluded.{qn(f)}" for f in fields[2:])
    return (
        f"INSERT INTO {table} ({columns}) VALUES ({placeholders}) "
        f"ON CONFLICT ({qn('owner')}, {qn('key')}) DO UPDATE SET {updates} "
        f"WHERE {table}.{qn('expires_at')} <= %s"
    )


def _adapted(name: str, value):
    field = IdempotencyKey._meta.get_field(name)
    return field.get_db_prep_value(value, connection)


def record_pk(used: IdempotencyKey) -> int:
    return int(used.record.rsplit(":", 1)[1])


def keys_purge(*, now) -> str:
    """Periodic job: free the keys past their time. Idempotent: a second run finds none."""
    deleted, _by_model = IdempotencyKey.objects.filter(expires_at__lte=now).delete()
    return f"{deleted} expired idempotency keys freed"
