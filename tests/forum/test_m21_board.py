"""M21 on the compliance board (M25): forum posts answered officially by their target, counted
for the office that answered, red when one is late, with the late post behind the figure."""

import datetime as dt

import pytest

from propdesk.board.targets import judge
from propdesk.core.measures import WEEK, measure, period_of
from propdesk.forum import services

from .conftest import NOW

pytestmark = pytest.mark.django_db

M21 = "m21_answered_on_time"


def test_m21_posts_answered_on_time_are_counted_and_a_late_one_turns_the_office_red(
    make_post, agent, office, quality
):
    on_time = make_post(title="电梯异响")
    late = make_post(title="路灯不亮")
    waiting = make_post(title="垃圾清运")
    services.post_answer(
        actor=agent, post=on_time, text="已安排检修。", now=NOW + dt.timedelta(hours=2)
    )
    m21 = measure(M21)
    week = period_of(WEEK, NOW + dt.timedelta(hours=24))  # the targets fall due a day later

    # Before the targets pass, only the answered post is judged.
    before = m21.compute([week], now=NOW + dt.timedelta(hours=23))[office.pk][0]
    assert (before.numerator, before.denominator) == (1, 1)
    services.post_answer(actor=agent, post=late, text="已修好。", now=NOW + dt.timedelta(hours=30))
    after = NOW + dt.timedelta(hours=31)
    figure = m21.compute([week], now=after)[office.pk][0]
    assert (figure.numerator, figure.denominator) == (1, 3)  # the waiting one is late too
    assert judge(m21, m21.value(figure), m21.target) == "red"

    behind = list(m21.cases(quality, office_id=office.pk, period=week, now=after))
    assert {p.pk for p in behind} == {late.pk, waiting.pk}
    assert all(m21.case(p).missed for p in behind)


def test_m21_all_answered_in_time_is_green(make_post, agent, office):
    post = make_post()
    services.post_answer(actor=agent, post=post, text="已安排。", now=NOW + dt.timedelta(hours=1))
    m21 = measure(M21)
    week = period_of(WEEK, NOW + dt.timedelta(hours=24))
    figure = m21.compute([week], now=NOW + dt.timedelta(days=3))[office.pk][0]
    assert judge(m21, m21.value(figure), m21.target) == "green"


def test_m21_staff_see_only_their_offices_posts_behind_the_figure(make_post, other_agent, office):
    make_post()
    m21 = measure(M21)
    week = period_of(WEEK, NOW + dt.timedelta(hours=24))
    later = NOW + dt.timedelta(days=3)
    assert list(m21.cases(other_agent, office_id=None, period=week, now=later)) == []
