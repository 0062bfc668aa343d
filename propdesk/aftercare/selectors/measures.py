"""Reads of the weekly after-service numbers (``services.measures`` computes them)."""

import datetime as dt

from propdesk.core.scoping import scope_for

from ..models import WeeklyMeasure


def measures_for(user, *, office_id: int | None = None, week: dt.date | None = None):
    """The weekly rows the user may see (their office; company roles: every office), newest week
    first."""
    qs = scope_for(WeeklyMeasure.objects.select_related("office"), user)
    if office_id:
        qs = qs.filter(office_id=office_id)
    if week:
        qs = qs.filter(week_start=week)
    return qs.order_by("-week_start", "office__code", "office_id")
