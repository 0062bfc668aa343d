"""Surveys' measures for the compliance board (M25), registered in ``SurveysConfig.ready()``.

- M16: each office's part of a campaign whose deadline fell in the period reached the target
  return rate (60%) — judged once the deadline has passed or the target is reached; and its
  analysis was recorded within its week — judged once recorded or once the week is over.
- M23: the satisfaction rate (满意率) of the surveys whose collection deadline fell in the
  period, from their satisfaction answers; the households not satisfied are behind it.

How M23 counts, and why:

- *What is satisfied.* A satisfaction question is answered on the questionnaire's one scale,
  1 (very dissatisfied) to 5 (very satisfied), which counts 4 and 5 as satisfied
  (``models.SATISFIED``); 3 (neutral) is not satisfaction. The manual asks for satisfied
  customers, not for an absence of complaint: a neutral answer is a service that did not win
  the customer.
- *What is counted.* Every satisfaction answer, as the campaign's statistics count their index
  (``selectors/analysis.py``): satisfied answers out of satisfaction answers. A household that
  is satisfied with repairs and not with cleaning is one success and one failure, and an
  office's figure is the very index its survey analysis shows. Choice and free-text questions
  are not satisfaction answers.
- *When it counts.* In the period the campaign's collection deadline falls in, once that
  deadline has passed. A household may change its answers until the deadline, so they are
  final only then; and the survey is one reading of the half-year, not a trickle of answers to
  plot week by week: the figure is the survey's result, on the board in the week (and month)
  the survey closed, as M16's return rate is.
- *Whose it is.* The office of the household's participation (``Answer.office``, copied from
  the participant frozen at launch), so a household is counted where it was surveyed.
- *The target*: 100 per cent. The manual sets no other figure for the survey; its rule is to
  strive for a satisfaction rate of one hundred per cent (努力使客户的满意率为百分之百), the
  same target as the follow-up calls' satisfaction (aftercare's M23 measure).
"""

from decimal import Decimal

from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from propdesk.core.measures import PERCENT, Case, Measure, Period, tally
from propdesk.core.scoping import scope_for

from .models import SATISFIED, Answer, Campaign, CampaignOffice, Response

LIVE = (Campaign.State.RUNNING, Campaign.State.CLOSED)
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


# --- M23: the surveys' satisfaction rate ------------------------------------------------------


def _satisfaction_answers(office_ids=None):
    """The satisfaction answers (a score; the other questions have none) of launched campaigns."""
    qs = Answer.objects.filter(score__isnull=False, campaign__state__in=LIVE)
    return qs if office_ids is None else qs.filter(office_id__in=office_ids)


def satisfied_compute(periods, *, now, office_ids=None):
    # One GROUP BY over the answers of the campaigns whose deadline falls in the periods: the
    # campaigns by their deadline, then each one's answers by the index answer_satisfaction
    # (campaign, office, score).
    return tally(
        _satisfaction_answers(office_ids),
        periods=periods,
        when="campaign__deadline",
        judged=Q(campaign__deadline__lte=now),
        hit=Q(score__in=SATISFIED),
    )


def _unsatisfied_answer():
    return Answer.objects.filter(response=OuterRef("pk"), score__isnull=False).exclude(
        score__in=SATISFIED
    )


def satisfied_cases(user, *, office_id, period, now, missed=True):
    """The households' responses behind the figure, of the campaigns that closed in the period:
    those with a satisfaction answer, or with ``missed`` those with one below 4."""
    start, end = period.bounds()
    qs = scope_for(Response.objects.filter(campaign__state__in=LIVE), user).filter(
        campaign__deadline__gte=start, campaign__deadline__lt=end, campaign__deadline__lte=now
    )
    if office_id is not None:
        qs = qs.filter(office_id=office_id)
    qs = qs.annotate(unsatisfied=Exists(_unsatisfied_answer()))
    qs = qs.filter(unsatisfied=True) if missed else qs.filter(score__isnull=False)
    return qs.select_related(
        "campaign", "office", "participant", "household__unit__building__community"
    ).order_by("campaign__deadline", "office__code", "participant__code", "pk")


def satisfied_case(response: Response) -> Case:
    detail = _("Mean satisfaction %(score)s of 5") % {"score": response.score or "—"}
    if response.opinion:
        detail = f"{detail} · {response.opinion[:120]}"
    return Case(
        title=f"{response.participant.code} · {response.household.address}",
        url=reverse("console:survey_response", args=[response.pk]),
        when=response.campaign.deadline,
        office=response.office.name,
        detail=detail,
        missed=bool(getattr(response, "unsatisfied", False)),
    )


MEASURES = [
    Measure(
        key="m16_return_rate",
        rule="M16",
        label=_("Survey return rate reached"),
        short_label=_("Survey returns"),
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
        short_label=_("Survey analysis"),
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
    Measure(
        key="m23_survey_satisfied",
        rule="M23",
        order=1,
        label=_("Satisfaction rate in the surveys"),
        short_label=_("Survey satisfaction"),
        description=_(
            "Satisfaction answers (1 to 5) of the surveys whose collection deadline fell in the "
            "period: satisfied or very satisfied (4 or 5) out of all given."
        ),
        unit=PERCENT,
        target=Decimal("100"),
        higher_is_better=True,
        compute=satisfied_compute,
        cases=satisfied_cases,
        case=satisfied_case,
        numerator_label=_("satisfied answers"),
        denominator_label=_("answers"),
    ),
]
