"""M23 on the compliance board: the satisfaction rate of the surveys — satisfied answers (4 or 5)
out of every satisfaction answer of the surveys whose collection deadline fell in the period,
per office — red below its target, with the households not satisfied behind it."""

import datetime as dt

import pytest
from django.urls import reverse

from propdesk.board import selectors as board
from propdesk.board import services as board_services
from propdesk.board.targets import GREEN, NONE, RED, judge
from propdesk.core.errors import Forbidden, NotFound
from propdesk.core.measures import MONTH, WEEK, Figure, measure, period_of
from propdesk.surveys import services
from propdesk.surveys.models import Response
from tests.queries import count_queries, same_queries

from .answers_fixtures import other_director_fixture  # noqa: F401  a fixture
from .conftest import DEADLINE, NOW, full_answers, participant_of

pytestmark = pytest.mark.django_db
KEY = "m23_survey_satisfied"
AFTER = DEADLINE + dt.timedelta(hours=1)
WEEK_OF_DEADLINE = period_of(WEEK, DEADLINE)


def scale_questions(campaign) -> list[str]:
    return [str(q.pk) for q in campaign.questionnaire.questions.filter(kind="scale")]


def answer(campaign, customer, scores: dict | int):
    """The household answers every question; ``scores`` a score for every satisfaction
    question, or {question position among them: score} over a base of 5."""
    data = full_answers(campaign, score=5, opinion="电梯经常坏" if scores != 5 else "")
    if isinstance(scores, int):
        scores = dict.fromkeys(range(len(scale_questions(campaign))), scores)
    for i, score in scores.items():
        data[scale_questions(campaign)[i]] = score
    services.response_submit(
        participant=participant_of(campaign, customer), answers=data, channel="link", now=NOW
    )
    return Response.objects.get(participant=participant_of(campaign, customer))


@pytest.fixture
def answered(make_campaign, make_customer, customer, other_customer):
    """The office's three households: one all 5; one all 5 but a 3 (neutral is not satisfied);
    one all 2. The other office's household: all 4."""
    neutral_one, unhappy = make_customer(), make_customer()
    campaign = make_campaign()  # the households are invited at launch
    happy = answer(campaign, customer, 5)
    neutral = answer(campaign, neutral_one, {0: 3})
    sad = answer(campaign, unhappy, 2)
    elsewhere = answer(campaign, other_customer, 4)
    return campaign, happy, neutral, sad, elsewhere


def figures(now=AFTER, period=WEEK_OF_DEADLINE, office_ids=None):
    return measure(KEY).compute([period], now=now, office_ids=office_ids)


def test_m23_survey_satisfaction_counts_satisfied_answers_per_office(
    answered, office, other_office, quality
):
    campaign = answered[0]
    n = len(scale_questions(campaign))  # nine satisfaction questions, one per service area
    got = figures()
    # office: n + (n − 1) + 0 satisfied of 3n answers; the other office's n of n
    assert got[office.pk][0] == Figure(2 * n - 1, 3 * n)
    assert got[other_office.pk][0] == Figure(n, n)
    assert measure(KEY).shown(got[office.pk][0]) == pytest.approx(
        round(100 * (2 * n - 1) / (3 * n), 1)
    )
    # The month of the deadline holds the same figure; the company's adds the offices'.
    month = figures(period=period_of(MONTH, DEADLINE))
    assert month[office.pk][0] == got[office.pk][0]
    line = next(
        x
        for x in board.company_board(quality, period=WEEK_OF_DEADLINE, now=AFTER).lines
        if x.measure.key == KEY
    )
    assert line.current.figure == Figure(3 * n - 1, 4 * n)


def test_m23_survey_satisfaction_counts_once_the_deadline_has_passed(answered, office):
    # Before the deadline households may still change their answers: nothing is judged yet.
    before = figures(now=DEADLINE - dt.timedelta(hours=1))
    assert before.get(office.pk, [Figure()])[0].denominator == 0
    m = measure(KEY)
    assert judge(m, m.value(before.get(office.pk, [Figure()])[0]), m.target) == NONE
    # The weeks around it show nothing either: the survey is on the board when it closes.
    other_week = period_of(WEEK, DEADLINE + dt.timedelta(days=7))
    assert figures(period=other_week).get(office.pk, [Figure()])[0].denominator == 0


def test_m23_survey_satisfaction_is_red_below_its_target_and_green_at_it(
    answered, office, other_office, director, quality
):
    m = measure(KEY)
    got = figures()
    assert m.target == 100  # the manual: strive for one hundred per cent
    assert judge(m, m.value(got[office.pk][0]), m.target) == RED
    assert judge(m, m.value(got[other_office.pk][0]), m.target) == GREEN

    def status():
        page = board.office_board(director, office.pk, period=WEEK_OF_DEADLINE, now=AFTER)
        return next(x for x in page.lines if x.measure.key == KEY).status

    assert status() == RED
    n = len(scale_questions(answered[0]))
    rate = 100 * (2 * n - 1) / (3 * n)  # 62.96…
    board_services.target_set(actor=quality, measure=KEY, value=f"{rate - 0.01:.2f}", now=NOW)
    assert status() == GREEN
    board_services.target_set(
        actor=quality, measure=KEY, value=f"{rate + 0.01:.2f}", version=1, now=NOW
    )
    assert status() == RED


def test_m23_survey_drill_down_lists_exactly_the_households_not_satisfied(
    answered, office, director, client
):
    _campaign, happy, neutral, sad, _elsewhere = answered
    found = board.cases(
        director, KEY, office_id=office.pk, period=WEEK_OF_DEADLINE, missed=True, now=AFTER
    )
    assert [r.pk for r in found.records] == sorted([neutral.pk, sad.pk], key=_code_of)
    every = board.cases(
        director, KEY, office_id=office.pk, period=WEEK_OF_DEADLINE, missed=False, now=AFTER
    )
    cases = {r.pk: measure(KEY).case(r) for r in every.records}
    assert set(cases) == {happy.pk, neutral.pk, sad.pk}
    assert {pk for pk, c in cases.items() if c.missed} == {neutral.pk, sad.pk}
    # Each case leads to the household's response in the console, with its answers.
    url = cases[sad.pk].url
    assert url == reverse("console:survey_response", args=[sad.pk])
    client.force_login(director)
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert sad.participant.code in html and "电梯经常坏" in html
    assert reverse("console:survey_response_open", args=[sad.pk]) in html
    # The board's cases page lists them with that link.
    listing = client.get(
        f"/console/board/measures/{KEY}/cases/",
        {"office": office.pk, "period": "week", "at": WEEK_OF_DEADLINE.key},
    )
    assert listing.status_code == 200
    assert url in listing.content.decode()
    assert reverse("console:survey_response", args=[happy.pk]) not in listing.content.decode()


def _code_of(pk):
    return Response.objects.get(pk=pk).participant.code


def test_m23_survey_another_offices_staff_cannot_see_the_households(
    answered, office, other_director, client
):
    _campaign, _happy, neutral, sad, elsewhere = answered
    with pytest.raises(NotFound):
        board.cases(
            other_director,
            KEY,
            office_id=office.pk,
            period=WEEK_OF_DEADLINE,
            missed=True,
            now=AFTER,
        )
    with pytest.raises(Forbidden):
        board.cases(
            other_director, KEY, office_id=None, period=WEEK_OF_DEADLINE, missed=True, now=AFTER
        )
    # The measure's own list, asked for the company, holds only what the reader may see.
    mine = measure(KEY).cases(other_director, office_id=None, period=WEEK_OF_DEADLINE, now=AFTER)
    assert list(mine) == []  # the other office's household is satisfied
    everyone = measure(KEY).cases(
        other_director, office_id=None, period=WEEK_OF_DEADLINE, now=AFTER, missed=False
    )
    assert [r.pk for r in everyone] == [elsewhere.pk]
    client.force_login(other_director)
    for response in (neutral, sad):
        assert client.get(reverse("console:survey_response", args=[response.pk])).status_code == 404


def test_m23_survey_figure_takes_the_same_queries_whatever_the_answers(
    make_campaign, make_customer, customer, office, other_office
):
    more = [make_customer() for _ in range(4)]
    campaign = make_campaign()
    answer(campaign, customer, 5)
    periods = [WEEK_OF_DEADLINE, WEEK_OF_DEADLINE.previous()]
    with count_queries() as first:
        measure(KEY).compute(periods, now=AFTER)
    for someone, score in zip(more, (1, 2, 3, 4), strict=True):
        answer(campaign, someone, score)
    with count_queries() as then:
        got = measure(KEY).compute(periods, now=AFTER)
    same_queries(first, then)
    assert len(then) == 1
    n = len(scale_questions(campaign))
    assert got[office.pk] == [Figure(2 * n, 5 * n), Figure(0, 0)]
