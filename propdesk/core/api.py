"""API plumbing shared by every app: the error shape and the staff-only default permission."""

from django.core.exceptions import PermissionDenied
from django.db import DataError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, permissions
from rest_framework.response import Response

from .errors import DomainError


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
    if isinstance(exc, exceptions.ValidationError) and isinstance(response.data, dict):
        fields = [k for k in response.data if k != "non_field_errors"]
        first = next(iter(response.data.values()), [""])
        detail = first[0] if isinstance(first, list) and first else str(first)
        body = {"code": "invalid", "detail": str(detail), "errors": response.data}
        if fields:
            body["field"] = fields[0]
        response.data = body
    elif isinstance(exc, exceptions.ValidationError):
        response.data = {"code": "invalid", "detail": str(response.data), "errors": response.data}
    elif isinstance(exc, exceptions.APIException):
        codes = exc.get_codes()
        response.data = {
            "code": codes if isinstance(codes, str) else "error",
            "detail": str(exc.detail),
        }
    return response
