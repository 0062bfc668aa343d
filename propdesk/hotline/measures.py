"""The hotline's measure for the compliance board (M25), registered in ``HotlineConfig.ready()``.

M02: the hours of the period in which one of an office's three lines has nobody rostered,
added over the lines (a line not set up at all is uncovered the whole period). The roster is a
plan, so the hours still to come in the current period count too: a gap next Sunday is one to
fill now. Two queries whatever the number of offices (``roster.coverage_by_office``); the cases
are the gaps themselves, line by line, each linking to the roster's week.
"""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from propdesk.core.measures import HOURS, Case, Figure, Measure, Period, amount
from propdesk.core.scoping import can_see_office
from propdesk.org.models import HotlineLine, Office

from .roster import coverage_by_office

HOUR = Decimal(3600)


def _hours(seconds: float) -> Decimal:
    return (Decimal(seconds) / HOUR).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _clip(gap, start, end):
    s, e = max(gap[0], start), min(gap[1], end)
    return (s, e) if s < e else None


def _coverage(periods, office_ids):
    ids = office_ids
    if ids is None:
        ids = list(Office.objects.order_by("pk").values_list("pk", flat=True))
    start, end = min(periods).bounds()[0], max(periods).bounds()[1]
    return coverage_by_office(ids, start, end)


def m02_compute(periods, *, now, office_ids=None):
    figures = {}
    for office_id, cov in _coverage(periods, office_ids).items():
        row = []
        for period in periods:
            start, end = period.bounds()
            seconds = len(cov.missing_kinds) * (end - start).total_seconds()
            for line in cov.lines:
                for gap in line.gaps:
                    if clipped := _clip(gap, start, end):
                        seconds += (clipped[1] - clipped[0]).total_seconds()
            row.append(Figure(_hours(seconds), 0))
        figures[office_id] = row
    return figures


def _roster_url(office_id, day: dt.date) -> str:
    return reverse("console:roster") + "?" + urlencode({"office": office_id, "week": day})


def m02_cases(user, *, office_id, period: Period, now, missed=True) -> list[Case]:
    """Every gap of the period, line by line: an office's, or every office's the user sees."""
    office_ids = None if office_id is None else [office_id]
    coverage = _coverage([period], office_ids)
    names = dict(Office.objects.filter(pk__in=list(coverage)).values_list("pk", "name"))
    kinds = dict(HotlineLine.Kind.choices)
    start, end = period.bounds()
    cases = []
    for oid, cov in sorted(coverage.items()):
        if not can_see_office(user, oid):
            continue
        for kind in cov.missing_kinds:
            cases.append(
                Case(
                    title=_("%(line)s line not set up") % {"line": kinds[kind]},
                    url=_roster_url(oid, period.start),
                    when=start,
                    office=names[oid],
                    detail=_("%(hours)s hours") % {"hours": _hours((end - start).total_seconds())},
                    missed=True,
                )
            )
        for line in cov.lines:
            for gap in line.gaps:
                s, e = _clip(gap, start, end)
                local_s, local_e = timezone.localtime(s), timezone.localtime(e)
                cases.append(
                    Case(
                        title=_("%(line)s line: nobody rostered") % {"line": kinds[line.line.kind]},
                        url=_roster_url(oid, local_s.date()),
                        when=s,
                        office=names[oid],
                        detail=f"{local_s:%Y-%m-%d %H:%M} – {local_e:%Y-%m-%d %H:%M} "
                        f"({_hours((e - s).total_seconds())} h)",
                        missed=True,
                    )
                )
    return cases


MEASURES = [
    Measure(
        key="m02_roster_gaps",
        rule="M02",
        label=_("Hotline hours with nobody rostered"),
        description=_(
            "Hours of the period in which a line (complaints, service, 24-hour duty) has nobody "
            "on the roster, added over the three lines; a line not set up counts the whole "
            "period. Hours still to come count too: the roster is the plan."
        ),
        unit=HOURS,
        target=Decimal("0"),
        higher_is_better=False,
        compute=m02_compute,
        value=amount,
        cases=m02_cases,
        case=lambda case: case,
        numerator_label=pgettext_lazy("unit", "hours"),
    ),
]
