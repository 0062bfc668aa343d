"""API plumbing shared by every app: the error shape, input validation, the Idempotency-Key
header and the staff-only default permission."""

from django.core.exceptions import PermissionDenied
from django.db import DataError, IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, permissions
from rest_framework.response import Response

from . import idempotency
from .errors import DomainError, PreconditionRequired
from .params import parse_id


class IsStaff(permissions.BasePermission):
    """Signed-in, active staff with a role. Finer checks happen in the services."""

    def has_permission(self, request, view):
        user = request.user
        return bool(
            user and user.is_authenticated and user.is_active and getattr(user, "role", None)
        )


# An id or a date past what the database column holds (a 30-digit id in a filter, the year 1 in
# a naive datetime): the database or the driver refuses it, deep below any one field's check.
OUT_OF_RANGE = (OverflowError, DataError)


def out_of_range_body() -> dict:
    return {
        "code": "out_of_range",
        "detail": str(_("A number or a date in the request is out of range.")),
    }


def validated(serializer_class, data, *, request=None, partial: bool = False, **context) -> dict:
    """``data`` as ``serializer_class`` cleans it, or a ``ValidationError``: a 400 naming the field.

    ``request`` and ``context`` go into the serializer's context; ``partial`` checks only the
    fields sent.
    """
    serializer = serializer_class(
        data=data, partial=partial, context={"request": request, **context}
    )
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _error_paths(errors, path: str = ""):
    """``(path, messages)`` for each field at fault in DRF's nested errors."""
    if isinstance(errors, dict):
        for key, value in errors.items():
            if isinstance(key, int):
                # One value of a plain list (ids, files): the list is the field, unless the value
                # is an object with fields of its own.
                nested = f"{path}[{key}]" if isinstance(value, dict) else path
            elif key == "non_field_errors" and path:
                nested = path
            else:
                nested = f"{path}.{key}" if path else key
            yield from _error_paths(value, nested)
    elif isinstance(errors, list) and any(isinstance(e, dict | list) for e in errors):
        # A list of objects (``many=True``): each one's errors, empty where it is fine.
        for index, value in enumerate(errors):
            if value:
                yield from _error_paths(value, f"{path}[{index}]")
    else:
        yield path, errors


def flat_errors(errors: dict) -> dict:
    """Nested errors keyed by the path of the field at fault: ``{"lines[0].item": [...]}``."""
    flat = {}
    for path, messages in _error_paths(errors):
        if path in flat:  # several values of one plain list
            flat[path] = [*flat[path], *messages]
        else:
            flat[path] = messages
    return flat


IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description=_(
        "Any unique string (at most 80 characters), remembered for 24 hours by default. A "
        "retry with the same key and the same body is answered as the first time (same status "
        "and body, with the header `Idempotent-Replayed: true`) and creates nothing; the same "
        "key with a different body is refused with 422 naming `idempotency_key`."
    ),
)


def idempotency_key_from(request) -> str | None:
    """The client's Idempotency-Key header, checked: a retry with it files nothing twice."""
    key = request.headers.get("Idempotency-Key", "").strip() or None
    if key and len(key) > 80:
        raise exceptions.ValidationError(
            {"idempotency_key": [_("The Idempotency-Key header is at most 80 characters.")]}
        )
    return key


REPLAYED = "Idempotent-Replayed"  # the response header that says "this is the first answer again"


def idempotent_create(request, *, owner: str, data: dict, create, answer, status: int = 201):
    """Create once per ``Idempotency-Key``: ``create()`` makes the record, ``answer(pk, status)``
    is the response. Without a key, just that. With one, the key remembers the request's
    fingerprint and the record, in the record's transaction: the same request again is answered
    as the first was (``answer`` of the same record and status) with ``Idempotent-Replayed: true``;
    another request with that key is refused with 422 naming ``idempotency_key``. ``owner`` is
    whose keys these are ("staff:12", "customer:34"); ``data`` the validated body, read before
    ``create`` may change it."""
    key = idempotency_key_from(request)
    if key is None:
        return answer(create().pk, status)
    fp = idempotency.fingerprint(request.method, request.path, data)
    now = timezone.now()
    used = idempotency.key_get(owner, key, now=now)
    if used is None:
        try:
            with transaction.atomic():
                record = create()
                idempotency.key_remember(owner, key, fp=fp, status=status, record=record, now=now)
        except IntegrityError:
            # A concurrent retry with the same key committed first: everything here rolled back.
            used = idempotency.key_get(owner, key, now=now)
            if used is None:
                raise
        else:
            return answer(record.pk, status)
    idempotency.key_check(used, fp)
    response = answer(idempotency.record_pk(used), used.status)
    response[REPLAYED] = "true"
    return response


IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description=_(
        "The version you last read (its ETag); same as `version` in the body. A change with "
        "neither is refused with 428; with an older one, 409."
    ),
)


def expected_version(request, data: dict) -> int:
    """The version the client acted on: ``version`` in the body, else the If-Match header (a
    record's version doubles as its ETag). Neither: 428, since a change made blind could undo
    someone else's unseen."""
    if data.get("version") is not None:
        return data["version"]
    header = request.headers.get("If-Match", "").strip()
    if not header:
        raise PreconditionRequired(
            _(
                "Send the version of the record you are changing (`version` in the body, or the "
                "If-Match header with its ETag), so that no one else's change is overwritten."
            ),
            code="version_required",
            field="version",
        )
    # Accept ETag spelling too: "3" or W/"3".
    version = parse_id(header.removeprefix("W/").strip('"'))
    if version is None:
        raise exceptions.ValidationError(
            {"version": [_("If-Match must be the version number you last read.")]}
        )
    return version


def exception_handler(exc, context):
    """One JSON error shape: ``{"code", "detail", "field"?, "errors"?}``."""
    # Imported here: rest_framework.views imports this module's IsStaff while it loads.
    from rest_framework.views import exception_handler as drf_exception_handler

    if isinstance(exc, DomainError):
        return Response(exc.as_dict(), status=exc.status)
    if isinstance(exc, OUT_OF_RANGE):
        return Response(out_of_range_body(), status=400)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = validation_error_body(response.data)
    elif isinstance(exc, exceptions.APIException):
        codes = exc.get_codes()
        response.data = {
            "code": codes if isinstance(codes, str) else "error",
            "detail": first_message(exc.detail),
        }
    return response


def first_message(detail) -> str:
    """The first message in DRF's detail, however nested, as plain text (never a repr)."""
    while isinstance(detail, dict | list) and detail:
        detail = next(iter(detail.values())) if isinstance(detail, dict) else detail[0]
    return str(detail) if not isinstance(detail, dict | list) else ""


def validation_error_body(data) -> dict:
    """DRF's validation errors in the one shape. A list at the top (a list sent as the whole
    body, or an error raised outside any field) is keyed like any other: ``[0].title`` for the
    first object's field, ``non_field_errors`` for the body as a whole."""
    errors = {
        (path or "non_field_errors"): [str(m) for m in messages]
        if isinstance(messages, list)
        else [str(messages)]
        for path, messages in flat_errors(data if isinstance(data, dict | list) else [data]).items()
    }
    fields = [k for k in errors if k != "non_field_errors"]
    body = {"code": "invalid", "detail": first_message(errors), "errors": errors}
    if fields:
        body["field"] = fields[0]
    return body
