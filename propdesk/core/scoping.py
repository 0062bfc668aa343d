"""Office scoping: the one place that decides which offices' records a user may see.

Every selector passes its queryset through ``scope_for`` before reading. Office roles see their
own office; company roles see every office; anyone else sees nothing.
"""

from django.db.models import QuerySet

from .errors import NotFound


def scope_for(qs: QuerySet, user, *, office_field: str = "office") -> QuerySet:
    if user is None or not user.is_authenticated or not user.is_active:
        return qs.none()
    if getattr(user, "is_company_role", False):
        return qs
    office_id = getattr(user, "office_id", None)
    if office_id is None:
        return qs.none()
    return qs.filter(**{office_field: office_id})


def get_scoped(qs: QuerySet, user, *, office_field: str = "office", **lookup):
    """One record the user may see, or NotFound — another office's record looks like no record."""
    try:
        return scope_for(qs, user, office_field=office_field).get(**lookup)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def can_see_office(user, office_id) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return bool(getattr(user, "is_company_role", False) or user.office_id == office_id)
