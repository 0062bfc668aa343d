"""M16 on the compliance board (M25): each office's part of a survey reached its return rate,
and its analysis was recorded within the week; red when not, with the office's part behind it."""

import datetime as dt

import pytest

from propdesk.board.targets import judge
from propdesk.core.measures import WEEK, Figure, measure, period_of
from propdesk.surveys import services
from propdesk.surveys.models import CampaignOffice

from .conftest import DEADLINE, NOW, full_answers, participant_of

pytestmark = pytest.mark.django_db


def test_m16_the_return_rate_measure_counts_offices_that_reached_60_percent(
    make_campaign, customer, other_customer, office, other_office, quality
):
    campaign = make_campaign()
    services.response_submit(
        participant=participant_of(campaign, customer),
        answers=full_answers(campaign),
        channel="link",
        now=NOW,
    )
    m16 = measure("m16_return_rate")
    week = period_of(WEEK, DEADLINE)
    figures = m16.compute([week], now=DEADLINE + dt.timedelta(hours=1))
    assert (figures[office.pk][0].numerator, figures[office.pk][0].denominator) == (1, 1)
    assert (figures[other_office.pk][0].numerator, figures[other_office.pk][0].denominator) == (
        0,
        1,
    )
    assert judge(m16, m16.value(figures[other_office.pk][0]), m16.target) == "red"
    assert judge(m16, m16.value(figures[office.pk][0]), m16.target) == "green"
    behind = list(
        m16.cases(quality, office_id=None, period=week, now=DEADLINE + dt.timedelta(hours=1))
    )
    assert [p.office_id for p in behind] == [other_office.pk]


def test_m16_the_analysis_measure_is_red_when_the_week_passes_without_one(
    make_campaign, customer, office, director
):
    campaign = make_campaign()
    services.response_submit(
        participant=participant_of(campaign, customer),
        answers=full_answers(campaign),
        channel="link",
        now=NOW,
    )
    services.analysis_clocks(now=DEADLINE)
    due = CampaignOffice.objects.get(campaign=campaign, office=office).analysis_due_at
    m16 = measure("m16_analysis_on_time")
    week = period_of(WEEK, due)

    before = m16.compute([week], now=due - dt.timedelta(hours=1))
    assert before.get(office.pk, [Figure()])[0].denominator == 0  # not judged yet
    late = m16.compute([week], now=due + dt.timedelta(hours=1))[office.pk][0]
    assert (late.numerator, late.denominator) == (0, 1)
    assert judge(m16, m16.value(late), m16.target) == "red"
    behind = list(
        m16.cases(director, office_id=office.pk, period=week, now=due + dt.timedelta(hours=1))
    )
    assert [p.office_id for p in behind] == [office.pk]
    assert m16.case(behind[0]).missed
