"""Reads of the organisation, scoped like everything else."""

from django.db.models import QuerySet

from propdesk.core.scoping import scope_for

from .models import Department, Office, User


def offices_for(user) -> QuerySet:
    return scope_for(Office.objects.all(), user, office_field="pk")


def _listed(qs: QuerySet, user) -> QuerySet:
    return (
        scope_for(qs, user)
        .select_related("office", "department")
        .order_by("office__code", "role", "username")
    )


def staff_for(user, *, role: str | None = None, office_id: int | None = None) -> QuerySet:
    qs = User.objects.filter(is_active=True)
    if role:
        qs = qs.filter(role=role)
    if office_id:
        qs = qs.filter(office_id=office_id)
    return _listed(qs, user)


def technicians_for(user, office_id: int | None = None) -> QuerySet:
    """The technicians the user may dispatch to; with ``office_id``, those a request of that
    office may go to (``User.objects.technicians_of``)."""
    qs = User.objects.technicians_of(office_id) if office_id else User.objects.technicians()
    return _listed(qs, user)


def departments_for(user) -> QuerySet:
    qs = Department.objects.select_related("office")
    if getattr(user, "is_company_role", False):
        return qs
    return qs.filter(office__isnull=True) | qs.filter(office_id=user.office_id)
