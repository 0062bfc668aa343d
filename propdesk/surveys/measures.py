"""Surveys' measures for the compliance board (M25), registered in ``SurveysConfig.ready()``.

- M16: each office's part of a campaign whose deadline fell in the period reached the target
  return rate (60%) — judged once the deadline has passed or the target is reached; and its
  analysis was recorded within its week — judged once recorded or once the week is over.
"""

from decimal import Decimal

from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from propdesk.core.measures import PERCENT, Case, Measure, Period, tally
from propdesk.core.scoping import scope_for

from .models import CampaignOffice

REACHED = Q(reached_at__isnull=False)
ANALYSED_ON_TIME = Q(analysed_at__isnull=False, analysed_at__lte=F("analysis_due_at"))


def _local(moment) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}" if moment else "—"


def _parts(office_ids=None):
    qs = CampaignOffice.objects.filter(campaign__state__in=["running", "closed"])
    return qs if office_ids is None else qs.filter(office_id__in=office_ids)


def _in(qs, field: str, period: Period):
    start, end = period.bounds()
    return qs.filter(**{f"{field}__gte": start, f"{field}__lt": end})


def _scoped(user, office_id):
    qs = scope_for(_parts(), user)
    qs = qs if office_id is None else qs.filter(office_id=office_id)
    return qs.select_related("campaign", "office")


def _reached_judged(now) -> Q:
    return REACHED | Q(campaign__deadline__lte=now)


def _analysis_judged(now) -> Q:
    return Q(analysed_at__isnull=False) | Q(analysis_due_at__lt=now)


def return_rate_compute(periods, *, now, office_ids=None):
    return tally(
        _parts(office_ids),
        periods=periods,
        when="campaign__deadline",
        judged=_reached_judged(now),
        hit=REACHED,
    )


def return_rate_cases(user, *, office_id, period, now, missed=True):
    qs = _in(_scoped(user, office_id), "campaign__deadline", period).filter(_reached_judged(now))
    if missed:
        qs = qs.exclude(REACHED)
    return qs.order_by("campaign__deadline", "office__code")


def return_rate_case(part: CampaignOffice) -> Case:
    detail = _("%(answered)s of %(households)s households answered (%(rate)s%%)") % {
        "answered": part.responses,
        "households": part.households,
        "rate": (part.return_rate * 100).quantize(Decimal("0.1")),
    }
    return Case(
        title=f"{part.campaign.title} · {part.office.name}",
        url=reverse("console:survey_campaign", args=[part.campaign_id]),
        when=part.campaign.deadline,
        office=part.office.name,
        detail=detail,
        missed=part.reached_at is None,
    )


def analysis_compute(periods, *, now, office_ids=None):
    return tally(
        _parts(office_ids),
        periods=periods,
        when="analysis_due_at",
        judged=_analysis_judged(now),
        hit=ANALYSED_ON_TIME,
    )


def analysis_cases(user, *, office_id, period, now, missed=True):
    qs = _in(_scoped(user, office_id), "analysis_due_at", period).filter(_analysis_judged(now))
    if missed:
        qs = qs.exclude(ANALYSED_ON_TIME)
    return qs.order_by("analysis_due_at", "office__code")


def analysis_case(part: CampaignOffice) -> Case:
    late = not (part.analysed_at and part.analysed_at <= part.analysis_due_at)
    detail = _("Analysis due %(due)s, recorded %(done)s") % {
        "due": _local(part.analysis_due_at),
        "done": _local(part.analysed_at),
    }
    return Case(
        title=f"{part.campaign.title} · {part.office.name}",
        url=reverse("console:survey_analysis_office", args=[part.campaign_id, part.office_id]),
        when=part.analysis_due_at,
        office=part.office.name,
        detail=detail,
        missed=late,
    )


MEASURES = [
    Measure(
        key="m16_return_rate",
        rule="M16",
        label=_("Survey return rate reached"),
        description=_(
            "Offices taking part in a satisfaction survey whose deadline fell in the period: "
            "those whose answers reached the target return rate (60 per cent), out of those that "
            "reached it or whose deadline has passed."
        ),
        unit=PERCENT,
        target=Decimal("100"),
        higher_is_better=True,
        compute=return_rate_compute,
        cases=return_rate_cases,
        case=return_rate_case,
        numerator_label=_("reached"),
        denominator_label=_("offices"),
    ),
    Measure(
        key="m16_analysis_on_time",
        rule="M16",
        order=1,
        label=_("Survey analysed within a week"),
        description=_(
            "Offices whose survey analysis fell due in the period: analysed within the week "
            "after the return rate and the deadline were reached, out of those analysed or "
            "already past it."
        ),
        unit=PERCENT,
        target=Decimal("100"),
        higher_is_better=True,
        compute=analysis_compute,
        cases=analysis_cases,
        case=analysis_case,
        numerator_label=_("on time"),
        denominator_label=_("due"),
    ),
]
