"""M22 on the compliance board (M25): a month without a held meeting is counted once for its
office, red against the target of none, with the month behind the figure."""

import datetime as dt

import pytest

from propdesk.board.targets import judge
from propdesk.committee import services
from propdesk.core.measures import MONTH, measure, period_of

from .conftest import NOW

pytestmark = pytest.mark.django_db

M22 = "m22_months_without_meeting"


def test_m22_a_month_without_a_meeting_counts_once_and_is_red(committee, office, director):
    services.flag_missed_months(now=NOW, month=dt.date(2026, 5, 1))
    services.flag_missed_months(now=NOW, month=dt.date(2026, 5, 1))  # twice: still one
    m22 = measure(M22)
    may, april = period_of(MONTH, dt.date(2026, 5, 15)), period_of(MONTH, dt.date(2026, 4, 15))

    figures = m22.compute([april, may], now=NOW)[office.pk]
    assert [m22.value(fig) for fig in figures] == [0, 1]
    assert judge(m22, m22.value(figures[1]), m22.target) == "red"
    assert judge(m22, m22.value(figures[0]), m22.target) == "green"

    behind = list(m22.cases(director, office_id=office.pk, period=may, now=NOW))
    assert [(m.office_id, m.month) for m in behind] == [(office.pk, dt.date(2026, 5, 1))]
    assert m22.case(behind[0]).missed


def test_m22_another_offices_missed_month_is_not_behind_a_directors_figure(
    committee, other_office, director, other_committee
):
    services.flag_missed_months(now=NOW, month=dt.date(2026, 5, 1))
    may = period_of(MONTH, dt.date(2026, 5, 15))
    cases = list(measure(M22).cases(director, office_id=None, period=may, now=NOW))
    assert all(c.office_id == director.office_id for c in cases)
