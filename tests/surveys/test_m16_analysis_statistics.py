"""M16 statistics: each question's distribution, the satisfaction index (share of satisfaction
answers that are 4 or 5) and mean per office, per area and for the company, the return rate,
the comparison with the previous campaign; a fixed number of queries whatever the answers."""

import datetime as dt
from decimal import Decimal

import pytest

from propdesk.core.errors import Conflict
from propdesk.surveys.models import Campaign, Participant, Question
from propdesk.surveys.selectors.analysis import previous_campaign, statistics
from propdesk.surveys.services.analysis import company_statistics, office_statistics
from tests.queries import count_queries, same_queries

from .analysis_fixtures import *  # noqa: F403
from .analysis_fixtures import AFTER, answer, scale_questions
from .conftest import NOW

pytestmark = pytest.mark.django_db


def test_m16_office_distribution_index_and_mean_are_exact(answered, office, director):
    stats = office_statistics(actor=director, campaign=answered, office_id=office.pk, now=AFTER)

    n = scale_questions(answered)
    [mine] = stats.included
    assert mine.part.responses == 3 and mine.part.households == 5
    assert mine.part.return_rate == Decimal("0.6000")
    # Scores 5, 4 and 2 on every satisfaction question: two of three satisfied.
    assert mine.figures.index.answers == 3 * n
    assert mine.figures.index.satisfied == 2 * n
    assert mine.figures.index.index == Decimal("0.6667")
    assert mine.figures.index.mean == Decimal("3.67")
    rows = {r.question.pk: r for r in stats.question_rows()}
    for question in answered.questionnaire.questions.all():
        row = rows[question.pk]
        counts = {value: count for value, _label, count, _share in row.rows}
        if question.kind == Question.Kind.SCALE:
            assert counts == {"1": 0, "2": 1, "3": 0, "4": 1, "5": 1}
            assert row.index.index == Decimal("0.6667")
        elif question.kind == Question.Kind.CHOICE:
            first = question.options[0]["value"]
            assert counts[first] == 3 and sum(counts.values()) == 3
        elif question.kind == Question.Kind.MULTI:
            firsts = {question.options[0]["value"], question.options[1]["value"]}
            assert {v for v, c in counts.items() if c} == firsts
            assert all(counts[v] == 3 for v in firsts)
        elif question.is_opinion:
            assert row.answered == 2  # two wrote an opinion
    areas = {row.area: row.index for row in stats.area_rows(mine.figures, mine.previous)}
    assert set(areas) == {q.area for q in answered.questionnaire.questions.filter(kind="scale")}
    assert all(
        a.answers == 3 and a.satisfied == 2 and a.mean == Decimal("3.67") for a in areas.values()
    )


def test_m16_company_figures_add_up_released_offices_and_name_the_others(
    answered, office, other_office, quality
):
    stats = company_statistics(actor=quality, campaign=answered, now=AFTER)

    assert [o.part.office_id for o in stats.included] == [office.pk]
    assert [p.office_id for p in stats.excluded] == [other_office.pk]  # 1 of 2: below 60%
    n = scale_questions(answered)
    assert stats.total.index.answers == 3 * n
    assert stats.total.index.index == Decimal("0.6667")
    assert stats.responses == 3 and stats.households == 5


def test_m16_every_office_counted_once_it_reaches_the_target(
    make_answered, office, other_office, quality
):
    campaign = make_answered(other=(1, 1))  # both of 碧湖's households answer 1

    stats = company_statistics(actor=quality, campaign=campaign, now=AFTER)

    n = scale_questions(campaign)
    assert stats.excluded == []
    assert stats.total.index.answers == 5 * n
    assert stats.total.index.satisfied == 2 * n
    assert stats.total.index.index == Decimal("0.4000")
    assert stats.total.index.mean == Decimal("2.60")  # (5 + 4 + 2 + 1 + 1) / 5
    by_office = {o.part.office_id: o.figures.index.index for o in stats.included}
    assert by_office == {office.pk: Decimal("0.6667"), other_office.pk: Decimal("0.0000")}


def test_m16_comparison_with_the_previous_campaign_per_office_and_area(
    make_campaign, make_customer, office, other_office, quality
):
    for _ in range(2):
        make_customer(office=office)
    before_now = NOW - dt.timedelta(days=200)
    earlier = make_campaign(
        now=before_now,
        title="2025年11月客户满意率调查",
        year=2025,
        season=Campaign.Season.NOVEMBER,
        deadline=before_now + dt.timedelta(days=20),
    )
    for p in Participant.objects.filter(campaign=earlier):
        answer(earlier, p, 2, now=before_now)  # nobody satisfied then
    campaign = make_campaign()
    for p in Participant.objects.filter(campaign=campaign):
        answer(campaign, p, 5)  # everybody now

    assert previous_campaign(campaign) == earlier
    stats = company_statistics(actor=quality, campaign=campaign, now=AFTER)

    assert stats.previous_campaign == earlier
    assert stats.previous_total.index.index == Decimal("0.0000")
    assert stats.change == Decimal("1.0000")
    [mine] = stats.included
    assert mine.change == Decimal("1.0000")
    assert all(row.change == Decimal("1.0000") for row in stats.area_rows())
    # The first campaign has nothing to compare with.
    assert previous_campaign(earlier) is None


def _answered_campaign(make_campaign, make_customer, office, count):
    for _ in range(count):
        make_customer(office=office)
    campaign = make_campaign()
    for i, p in enumerate(Participant.objects.filter(campaign=campaign)[:count]):
        answer(campaign, p, 1 + i % 5, "电梯坏了" if i % 3 == 0 else "")
    return campaign


@pytest.mark.parametrize("who", ["quality", "director"])
def test_m16_statistics_take_the_same_queries_with_10_or_50_responses(
    request, make_campaign, make_customer, office, who
):
    user = request.getfixturevalue(who)

    def measure(count):
        campaign = _answered_campaign(make_campaign, make_customer, office, count)
        with count_queries() as queries:
            if who == "quality":
                stats = company_statistics(actor=user, campaign=campaign, now=AFTER)
            else:
                stats = office_statistics(
                    actor=user, campaign=campaign, office_id=office.pk, now=AFTER
                )
            stats.question_rows()
            stats.area_rows()
        assert stats.responses == count
        Campaign.objects.filter(pk=campaign.pk).update(season="special")  # room for the next
        return queries

    first = measure(10)
    then = measure(50)
    same_queries(first, then)
    assert len(first) <= 7


def test_m16_statistics_selector_alone_is_five_queries(answered):
    with count_queries() as queries:
        statistics(answered)
    assert len(queries) == 5


def test_m16_a_draft_campaign_has_no_figures(make_campaign, quality):
    draft = make_campaign(launch=False)
    with pytest.raises(Conflict) as refused:
        company_statistics(actor=quality, campaign=draft, now=AFTER)
    assert refused.value.code == "not_launched"
