"""The committees' measure for the compliance board (M25), registered in
``CommitteeConfig.ready()``.

- M22: months without a held committee meeting, as the monthly job flags them
  (``MissedMonth``), each counted in the period its month begins in; the target is none.
"""

from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from propdesk.core.measures import COUNT, Case, Measure, Period, amount, tally
from propdesk.core.scoping import scope_for

from .models import MissedMonth


def compute(periods, *, now, office_ids=None):
    qs = MissedMonth.objects.all()
    if office_ids is not None:
        qs = qs.filter(office_id__in=office_ids)
    return tally(qs, periods=periods, when="month", dates=True)


def cases(user, *, office_id, period: Period, now, missed=True):
    qs = scope_for(MissedMonth.objects.all(), user)
    if office_id is not None:
        qs = qs.filter(office_id=office_id)
    qs = qs.filter(month__gte=period.start, month__lt=period.end)
    return qs.select_related("office").order_by("month", "office__code")


def case(missed: MissedMonth) -> Case:
    return Case(
        title=f"{missed.office.name} {missed.month:%Y-%m}",
        url=f"{reverse('console:committee_meetings')}?office={missed.office_id}",
        when=missed.month,
        office=missed.office.name,
        detail=str(_("No committee meeting was held in this month.")),
        missed=True,
    )


MEASURES = [
    Measure(
        key="m22_months_without_meeting",
        rule="M22",
        label=_("Months without a committee meeting"),
        short_label=_("Committee meetings"),
        description=_(
            "Months in which the office's owners' committee held no meeting, counted in the "
            "period the month begins in."
        ),
        unit=COUNT,
        target=Decimal("0"),
        higher_is_better=False,
        compute=compute,
        value=amount,
        judges_records=False,
        cases=cases,
        case=case,
        numerator_label=_("months"),
    ),
]
