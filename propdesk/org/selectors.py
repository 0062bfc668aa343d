"""Reads of the organisation, scoped like everything else."""

from django.db.models import QuerySet

from propdesk.core.scoping import scope_for

from .models import Department, Office, Role, User


def offices_for(user) -> QuerySet:
    return scope_for(Office.objects.all(), user, office_field="pk")


def staff_for(user, *, role: str | None = None, office_id: int | None = None) -> QuerySet:
    qs = scope_for(User.objects.filter(is_active=True), user).select_related("office", "department")
    if role:
        qs = qs.filter(role=role)
    if office_id:
        qs = qs.filter(office_id=office_id)
    return qs.order_by("office__code", "role", "username")


def technicians_for(user, office_id: int | None = None) -> QuerySet:
    return staff_for(user, role=Role.TECHNICIAN, office_id=office_id)


def departments_for(user) -> QuerySet:
    qs = Department.objects.select_related("office")
    if getattr(user, "is_company_role", False):
        return qs
    return qs.filter(office__isnull=True) | qs.filter(office_id=user.office_id)
