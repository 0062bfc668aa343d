"""M24 on the board: revenue from paid and special services per office and period, in yuan,
with the charges behind it."""

from decimal import Decimal

import pytest

from propdesk.board import selectors, services
from propdesk.board.targets import GREEN, NONE, RED
from propdesk.core.measures import Figure

from .conftest import MONTH_NOW, NOW, WEEK_NOW, at, charge, figure

pytestmark = pytest.mark.django_db
KEY = "m24_revenue"


@pytest.fixture
def charges(customer, other_customer, agent, paid_item):
    june = [
        charge(customer, amount="80.50", at_=at(9), by=agent, item=paid_item),
        charge(customer, amount="120.00", at_=at(2), by=agent, is_special=True),
    ]
    charge(customer, amount="45.00", at_=at(28, month=5), by=agent)  # May
    charge(other_customer, amount="999.99", at_=at(9), by=agent)
    return june


def test_m24_revenue_is_the_sum_of_the_charges_in_yuan(charges, office):
    june = figure(KEY, office, MONTH_NOW)
    assert june.numerator == Decimal("200.50") and isinstance(june.numerator, Decimal)
    assert figure(KEY, office, WEEK_NOW) == Figure(Decimal("80.50"), 1)


def test_m24_drill_down_lists_exactly_the_charges(charges, office, director):
    found = selectors.cases(
        director, KEY, office_id=office.pk, period=MONTH_NOW, missed=True, now=NOW
    )
    assert [c.pk for c in found.records] == [charges[1].pk, charges[0].pk]
    rows = [found.measure.case(c) for c in found.records]
    assert "special service" in str(rows[0].detail) and "¥120.00" in str(rows[0].detail)


def test_m24_company_revenue_adds_the_offices(charges, quality):
    board = selectors.company_board(quality, period=MONTH_NOW, now=NOW)
    line = next(x for x in board.lines if x.measure.key == KEY)
    assert line.current.value == Decimal("1200.49")
    assert [p.value for p in line.trend][-2:] == [Decimal("45.00"), Decimal("1200.49")]


def test_m24_no_colour_without_a_target_then_red_below_it(charges, office, director, quality):
    def status():
        board = selectors.office_board(director, office.pk, period=MONTH_NOW, now=NOW)
        return next(x for x in board.lines if x.measure.key == KEY).status

    assert status() == NONE
    services.target_set(actor=quality, measure=KEY, value="200.50", now=NOW)
    assert status() == GREEN
    services.target_set(actor=quality, measure=KEY, value="200.51", version=1, now=NOW)
    assert status() == RED


def test_m24_the_board_links_revenue_to_its_full_report(client, director, office):
    client.force_login(director)
    page = client.get(f"/console/board/offices/{office.pk}/?period=month&at=2026-05").content
    assert (
        f"/console/revenue/?start=2026-05&amp;end=2026-05&amp;office={office.pk}" in page.decode()
    )
