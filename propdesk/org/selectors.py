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


# --- sign-in ------------------------------------------------------------------------------------


def signin_locks(*, now) -> list[dict]:
    """Usernames locked now after too many wrong tries (django-axes' count), with when each
    lock ends; names nobody has included, since a guesser's tries lock them too."""
    from axes.models import AccessAttempt
    from django.conf import settings
    from django.db.models import Max, Sum

    since = now - settings.AXES_COOLOFF_TIME
    rows = (
        AccessAttempt.objects.filter(attempt_time__gte=since)
        .values("username")
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .order_by("-last")
    )
    return [{**row, "until": row["last"] + settings.AXES_COOLOFF_TIME} for row in rows]


def signin_failures(*, limit: int = 50):
    """The latest failed sign-in tries: who, when, from where (django-axes' failure log)."""
    from axes.models import AccessFailureLog

    return AccessFailureLog.objects.order_by("-attempt_time")[:limit]
