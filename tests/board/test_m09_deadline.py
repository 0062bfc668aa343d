"""M09 on the board: requests done within the customer's deadline — the figure, the violations
behind it (completed late, or still open past the deadline) and red or green at the target."""

from decimal import Decimal

import pytest

from propdesk.board import selectors, services
from propdesk.board.targets import GREEN, RED, judge
from propdesk.core.measures import Figure, measure
from propdesk.tickets.models import Kind, Status

from .conftest import NOW, WEEK_NOW, at, figure, ticket

pytestmark = pytest.mark.django_db
KEY = "m09_deadline_kept"


@pytest.fixture
def week(customer, other_customer):
    """Deadlines in week 24 (8–14 June; now is the 10th, 17:00)."""
    kept = ticket(customer, due=at(9), completed=at(8))
    late = ticket(customer, due=at(9), completed=at(10, 9))
    open_late = ticket(customer, due=at(10, 9), status=Status.DISPATCHED)
    # Not judged yet: its deadline is still to come. Nor ever: declined, cancelled; complaints
    # are M19's.
    ticket(customer, due=at(12), status=Status.DISPATCHED)
    ticket(customer, due=at(9), status=Status.CANCELLED)
    ticket(customer, due=at(9), status=Status.DECLINED)
    ticket(customer, due=at(9), kind=Kind.COMPLAINT, status=Status.IN_PROGRESS)
    # Another week, and another office.
    ticket(customer, due=at(5), completed=at(4))
    ticket(other_customer, due=at(9), completed=at(10))
    return kept, late, open_late


def test_m09_figure_counts_kept_deadlines_out_of_those_judged(week, office):
    assert figure(KEY, office) == Figure(1, 3)
    assert measure(KEY).shown(Figure(1, 3)) == Decimal("33.3")


def test_m09_an_agreed_extension_is_no_violation(customer, office):
    # The extension moved the deadline (``due_at``) to the 11th: completed on the 10th, in time.
    ticket(customer, due=at(11), completed=at(10), requested_deadline=at(9))
    assert figure(KEY, office) == Figure(1, 1)


def test_m09_drill_down_lists_exactly_the_violations(week, office, director):
    kept, late, open_late = week
    found = selectors.cases(
        director, KEY, office_id=office.pk, period=WEEK_NOW, missed=True, now=NOW
    )
    assert [t.pk for t in found.records] == [late.pk, open_late.pk]
    cases = [found.measure.case(t) for t in found.records]
    assert all(c.missed for c in cases) and "Still open" in str(cases[1].detail)
    every = selectors.cases(
        director, KEY, office_id=office.pk, period=WEEK_NOW, missed=False, now=NOW
    )
    assert {t.pk for t in every.records} == {kept.pk, late.pk, open_late.pk}


def test_m09_red_until_the_target_is_lowered_to_the_figure(week, office, quality, director):
    board = selectors.office_board(director, office.pk, period=WEEK_NOW, now=NOW)
    line = next(x for x in board.lines if x.measure.key == KEY)
    assert line.target == 100 and line.status == RED
    services.target_set(actor=quality, measure=KEY, value="33.33", now=NOW)
    line = next(
        x
        for x in selectors.office_board(director, office.pk, period=WEEK_NOW, now=NOW).lines
        if x.measure.key == KEY
    )
    assert line.status == GREEN  # 1/3 = 33.333…% ≥ 33.33%
    services.target_set(actor=quality, measure=KEY, value="33.34", now=NOW, version=1)
    m = measure(KEY)
    assert judge(m, m.value(Figure(1, 3)), Decimal("33.34")) == RED


def test_m09_trend_shows_the_last_twelve_weeks(week, office, director):
    board = selectors.office_board(director, office.pk, period=WEEK_NOW, now=NOW)
    line = next(x for x in board.lines if x.measure.key == KEY)
    assert [p.period.key for p in line.trend][-2:] == ["2026-W23", "2026-W24"]
    assert len(line.trend) == 12
    assert line.trend[-2].figure == Figure(1, 1)  # the 5th's, kept
